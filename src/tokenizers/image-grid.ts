import { InputError } from '../core/errors.ts';
import { channelsOf, checkGrayImage, type GrayImage } from './gray-image.ts';

/** Where the cells of a grid go and how big the whole grid is. */
export interface GridLayout {
  readonly columns: number;
  readonly rows: number;
  readonly width: number;
  readonly height: number;
}

/**
 * The size of a grid of `count` cells, `columns` per row (fewer if there are fewer cells). Shared by
 * imageGrid and the CLI's up-front size check, so the check can never disagree with the drawing.
 */
export function gridLayout(count: number, cellWidth: number, cellHeight: number, columns: number, gap = 2): GridLayout {
  if (!Number.isInteger(count) || count < 1) throw new InputError('grid images', count, 'at least one image');
  if (!Number.isInteger(columns) || columns < 1) throw new InputError('grid columns', columns, 'an integer >= 1');
  if (!Number.isInteger(gap) || gap < 0) throw new InputError('grid gap', gap, 'an integer >= 0');
  const cols = Math.min(columns, count);
  const rows = Math.ceil(count / cols);
  return { columns: cols, rows, width: cols * cellWidth + (cols - 1) * gap, height: rows * cellHeight + (rows - 1) * gap };
}

/**
 * Lays equally sized images out row by row, `columns` per row (fewer if there are fewer images).
 * The gap is mid-gray so it stays visible between black-background images; empty cells stay black.
 */
export function imageGrid(images: readonly GrayImage[], columns: number, gap = 2, gapValue = 0.5): GrayImage {
  const first = images[0];
  if (first === undefined) throw new InputError('grid images', images.length, 'at least one image');
  images.forEach((image, index) => {
    checkGrayImage(image, `grid image ${index}`);
    if (image.width !== first.width || image.height !== first.height) {
      throw new InputError(`grid image ${index}`, `${image.width}x${image.height}`, `${first.width}x${first.height} like image 0`);
    }
    if (channelsOf(image) !== channelsOf(first)) {
      throw new InputError(`grid image ${index} channels`, channelsOf(image), `${channelsOf(first)} like image 0`);
    }
  });
  const channels = channelsOf(first);
  const { columns: cols, rows, width, height } = gridLayout(images.length, first.width, first.height, columns, gap);
  const pixels = new Float32Array(width * height * channels).fill(gapValue);
  const row = first.width * channels;
  for (let cell = 0; cell < rows * cols; cell++) {
    const image = images[cell];
    const left = (cell % cols) * (first.width + gap);
    const top = Math.floor(cell / cols) * (first.height + gap);
    for (let y = 0; y < first.height; y++) {
      const target = ((top + y) * width + left) * channels;
      if (image === undefined) pixels.fill(0, target, target + row);
      else pixels.set(image.pixels.subarray(y * row, (y + 1) * row), target);
    }
  }
  return { width, height, pixels, ...(channels === 1 ? {} : { channels }) };
}
