import { constants as bufferConstants } from 'node:buffer';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../core/errors.ts';
import { gridLayout } from '../tokenizers/image-grid.ts';
import { encodePng, upscaleNearest, writeFileAtomic, type GrayImage } from '../tokenizers/png-image.ts';
import { checkWritableFolder } from '../tokenizers/writable-folder.ts';

/** Most images one run decodes (-n/--count): a 64×64 grid, already minutes of decoding on a CPU. */
export const MAX_IMAGES = 4096;

/**
 * Most pixels in one written PNG: 67,108,864 (8192×8192); scaling and encoding that many took
 * about 750 MB and 9 s here. pngjs itself stops at 1,073,741,824 (its RGBA buffer must fit in one 4 GiB
 * Buffer), and fails there only after the whole run with a bare RangeError; this cap sits well below.
 */
export const MAX_OUTPUT_PIXELS = 8192 * 8192;

/** pngjs's hard limit: 8-bit RGBA in one Buffer. */
const PNGJS_MAX_PIXELS = Math.floor(bufferConstants.MAX_LENGTH / 4);

/**
 * Checks before any work is done, so a long run never ends in a refused write: a .png name, a
 * folder that exists, is a folder and takes a new file, and no existing file unless `force`.
 * `flag` names the option in messages (e.g. --trace).
 */
export function checkOutputPath(path: string, force: boolean, flag = '-o/--output'): string {
  const full = resolve(path);
  if (!full.toLowerCase().endsWith('.png')) throw new InputError(flag, path, 'a path ending in .png');
  checkWritableFolder(full, flag);
  if (existsSync(full)) {
    if (statSync(full).isDirectory()) throw new InputError(flag, full, 'a file path', `cannot write ${full}: it is a folder`);
    if (!force) throw new InputError(flag, full, 'a path that does not exist yet (or pass --force to replace it)', `${full} already exists; pass --force to replace it`);
  }
  return full;
}

/** The same file by any spelling: through symlinked folders, or as a hard link to an existing file. */
function sameFile(a: string, b: string): boolean {
  const canonical = (path: string): string => {
    const full = resolve(path);
    try { return join(realpathSync(dirname(full)), basename(full)); } catch { return full; }
  };
  if (canonical(a) === canonical(b)) return true;
  try {
    const [first, second] = [statSync(a), statSync(b)];
    return first.dev === second.dev && first.ino === second.ino;
  } catch {
    return false;
  }
}

/**
 * Refuses two outputs of one command that name the same file (e.g. --trace X -o X): one would
 * replace the other, and with --force silently. Call it before any work.
 */
export function checkDistinctOutputs(outputs: ReadonlyArray<{ readonly flag: string; readonly path: string }>): void {
  outputs.forEach((first, i) => {
    for (const second of outputs.slice(i + 1)) {
      if (sameFile(first.path, second.path)) {
        throw new InputError(`${first.flag} and ${second.flag}`, resolve(second.path), 'different files',
          `${first.flag} and ${second.flag} both name ${resolve(second.path)}; give each its own file`);
      }
    }
  });
}

/** Refuses an image count the CLI will not decode in one run; `flag` names the option. */
export function checkImageCount(count: number, flag = '-n/--count'): number {
  if (!Number.isInteger(count) || count < 1 || count > MAX_IMAGES) {
    throw new InputError(flag, count, `an integer in [1, ${MAX_IMAGES}]`,
      count > MAX_IMAGES && Number.isInteger(count)
        ? `${flag} ${count} is over the limit of ${MAX_IMAGES} images per run; run several times with different --seed values`
        : `${flag} must be an integer from 1 to ${MAX_IMAGES}, got ${count}`);
  }
  return count;
}

export interface GridOutputPlan {
  /** Cells in the grid (images, or for a trace two per step). */
  readonly count: number;
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** The --scale upscale factor. */
  readonly scale: number;
  /** Cells per row; default ceil(sqrt(count)), what the CLI's generate uses. */
  readonly columns?: number;
  /** Pixels between cells before scaling; default 2, imageGrid's default. */
  readonly gap?: number;
  /** Names the options to blame; default '-n/--count and --scale'. */
  readonly flags?: string;
}

export interface GridOutputSize {
  readonly width: number;
  readonly height: number;
  readonly pixels: number;
  /** The PNG's image data before compression (one filter byte per row, one byte per gray pixel). */
  readonly rawBytes: number;
}

/**
 * Works out the size of the PNG a grid of images will be written as, and refuses one that could
 * not be written (over MAX_OUTPUT_PIXELS or pngjs's limit) before any decoding is spent on it.
 */
export function checkGridOutput(plan: GridOutputPlan): GridOutputSize {
  const flags = plan.flags ?? '-n/--count and --scale';
  const layout = gridLayout(plan.count, plan.cellWidth, plan.cellHeight, plan.columns ?? Math.ceil(Math.sqrt(plan.count)), plan.gap ?? 2);
  const width = layout.width * plan.scale;
  const height = layout.height * plan.scale;
  const pixels = width * height;
  const limit = Math.min(MAX_OUTPUT_PIXELS, PNGJS_MAX_PIXELS);
  if (pixels > limit) {
    throw new InputError(flags, `${plan.count} images at scale ${plan.scale}`, `a PNG of at most ${limit.toLocaleString('en-US')} pixels`,
      `${flags}: ${plan.count} image(s) at scale ${plan.scale} make a ${width}×${height} PNG (${pixels.toLocaleString('en-US')} pixels), `
      + `over the limit of ${limit.toLocaleString('en-US')} pixels; lower -n/--count or --scale`);
  }
  return { width, height, pixels, rawBytes: height * (width + 1) };
}

/** Upscaled for viewing (28×28 is tiny), written atomically: no half-written PNG on error or abort. */
export async function writePng(path: string, image: GrayImage, scale: number, force: boolean, signal?: AbortSignal): Promise<void> {
  const scaled = scale > 1 ? upscaleNearest(image, scale) : image;
  await writeFileAtomic(path, encodePng(scaled), { overwrite: force, ...(signal ? { signal } : {}) });
}
