import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from '../core/errors.ts';
import { encodePng, upscaleNearest, writeFileAtomic, type GrayImage } from '../tokenizers/png-image.ts';

/** Checks before any work is done, so a long run never ends in a refused write. */
export function checkOutputPath(path: string, force: boolean): string {
  const full = resolve(path);
  if (!full.toLowerCase().endsWith('.png')) throw new InputError('output', path, 'a path ending in .png');
  if (!existsSync(dirname(full))) throw new InputError('output', path, `an existing folder (${dirname(full)} does not exist)`);
  if (existsSync(full) && !force) throw new InputError('output', full, 'a path that does not exist yet (or pass --force to replace it)');
  return full;
}

/** Upscaled for viewing (28×28 is tiny), written atomically: no half-written PNG on error or abort. */
export async function writePng(path: string, image: GrayImage, scale: number, force: boolean, signal?: AbortSignal): Promise<void> {
  const scaled = scale > 1 ? upscaleNearest(image, scale) : image;
  await writeFileAtomic(path, encodePng(scaled), { overwrite: force, ...(signal ? { signal } : {}) });
}
