import type { GrayImage } from '../tokenizers/png-image.ts';

/** Pixels brighter than this count as the object (Fashion-MNIST backgrounds are 0). */
const OBJECT_THRESHOLD = 0.1;

function mean(image: GrayImage): number {
  let sum = 0;
  for (const value of image.pixels) sum += value;
  return sum / image.pixels.length;
}

/** Pearson correlation of a with b (b mirrored left-right when asked). */
function correlation(a: GrayImage, b: GrayImage, mirrorB: boolean): number {
  const n = a.pixels.length;
  const meanA = mean(a);
  const meanB = mean(b);
  let cross = 0;
  let varA = 0;
  let varB = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const bx = mirrorB ? b.width - 1 - x : x;
      const da = (a.pixels[y * a.width + x] as number) - meanA;
      const db = (b.pixels[y * b.width + bx] as number) - meanB;
      cross += da * db;
      varA += da * da;
      varB += db * db;
    }
  }
  return n === 0 || varA === 0 || varB === 0 ? 0 : cross / Math.sqrt(varA * varB);
}

/**
 * How mirror-symmetric an image is (its correlation with its own mirror image). A flip of a
 * symmetric item (trousers, bags) cannot be told from the source, so flip success is also reported
 * over the asymmetric sources alone.
 */
export function mirrorSymmetry(image: GrayImage): number {
  return correlation(image, image, true);
}

/** Area of the bounding box of object pixels (0 for an empty image). */
export function boundingBoxArea(image: GrayImage): number {
  let top = image.height;
  let bottom = -1;
  let left = image.width;
  let right = -1;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if ((image.pixels[y * image.width + x] as number) <= OBJECT_THRESHOLD) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return bottom < 0 ? 0 : (bottom - top + 1) * (right - left + 1);
}

export type EditKind = 'darker' | 'lighter' | 'flip' | 'smaller';

/** Which measurable edit an instruction asks for, from its words. */
export function editKind(instruction: string): EditKind | null {
  const text = instruction.toLowerCase();
  if (text.includes('darker')) return 'darker';
  if (text.includes('lighter') || text.includes('brighter')) return 'lighter';
  if (text.includes('flip') || text.includes('mirror')) return 'flip';
  if (text.includes('smaller')) return 'smaller';
  return null;
}

/**
 * The success rules: darker / lighter — mean intensity moves the right way (by 15% / 5%, the
 * training tool's margins, so noise does not count); flip — correlates better with the mirrored
 * source than with the source; smaller — the object's bounding box shrinks.
 */
export function editSucceeded(kind: EditKind, source: GrayImage, output: GrayImage): boolean {
  switch (kind) {
    case 'darker': return mean(output) < 0.85 * mean(source);
    case 'lighter': return mean(output) > 1.05 * mean(source);
    case 'flip': return correlation(output, source, true) > correlation(output, source, false);
    case 'smaller': return boundingBoxArea(output) < boundingBoxArea(source);
  }
}
