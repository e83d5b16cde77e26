import { resizeGray, type GrayImage } from '../tokenizers/png-image.ts';
import type { EditKind } from './edit-criteria.ts';

/**
 * The exact edits the training pairs were made with (tools/omnitrain/data.py), applied to real
 * pixels. Classifying them gives the ceiling for "class kept": the classifier never saw, say,
 * shrunken items, so it misreads some of them however good the model's edit is.
 */
export function referenceEdit(kind: EditKind, source: GrayImage): GrayImage {
  const { width, height, pixels } = source;
  switch (kind) {
    case 'darker': return { width, height, pixels: pixels.map((value) => value * 0.5) };
    case 'lighter': return { width, height, pixels: pixels.map((value) => Math.sqrt(Math.min(1, Math.max(0, value)))) };
    case 'flip': {
      const out = new Float32Array(pixels.length);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = pixels[y * width + (width - 1 - x)] as number;
      return { width, height, pixels: out };
    }
    case 'smaller': {
      let side = Math.round(width * 0.7);
      if (side % 2 !== width % 2) side += 1;
      const small = resizeGray(source, side, side, 'bilinear');
      const out = new Float32Array(pixels.length);
      const offset = (width - side) >> 1;
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out[(y + offset) * width + x + offset] = Math.min(1, Math.max(0, small.pixels[y * side + x] as number));
      return { width, height, pixels: out };
    }
  }
}
