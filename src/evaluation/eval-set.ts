import { existsSync, readFileSync } from 'node:fs';
import { ModelFileError } from '../core/errors.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import type { ModelFolder } from '../pipeline/model-folder.ts';

export interface EvalSet {
  readonly images: readonly GrayImage[];
  readonly labels: Int32Array;
}

interface EvalSetManifest { count: number; height: number; width: number; images: string; labels: string }

/** The held-out Fashion-MNIST test slice shipped in `eval/` (written by tools/export_eval_set.py). */
export function loadEvalSet(folder: ModelFolder): EvalSet {
  const manifestPath = folder.file('eval/eval-set.json');
  if (!existsSync(manifestPath)) {
    throw new ModelFileError('evaluation set', manifestPath, 'eval/eval-set.json with test-images.u8 and test-labels.u8 (tools/export_eval_set.py writes them)');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as EvalSetManifest;
  const pixels = readFileSync(folder.file(`eval/${manifest.images}`));
  const labelBytes = readFileSync(folder.file(`eval/${manifest.labels}`));
  const size = manifest.height * manifest.width;
  if (pixels.length !== manifest.count * size || labelBytes.length !== manifest.count) {
    throw new ModelFileError('evaluation set', manifestPath, `${manifest.count} images of ${size} bytes and ${manifest.count} labels`);
  }
  const images: GrayImage[] = [];
  for (let i = 0; i < manifest.count; i++) {
    const image = new Float32Array(size);
    for (let p = 0; p < size; p++) image[p] = (pixels[i * size + p] as number) / 255;
    images.push({ width: manifest.width, height: manifest.height, pixels: image });
  }
  return { images, labels: Int32Array.from(labelBytes) };
}
