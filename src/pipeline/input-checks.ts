import { InputError, describeValue } from '../core/errors.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';

/**
 * Up-front checks of what callers hand the pipeline's public methods, so a bad argument is an
 * InputError naming it (and its index) instead of a TypeError, or NaN pixels decoded in silence.
 * The limits only stop absurd values (a 1e9 count, a megabyte prompt) before any work is done;
 * the model's own limits (prompt tokens, positions) are checked where they are known.
 */
export const INPUT_LIMITS = {
  /** Characters in one prompt, instruction or question, before tokenizing. */
  promptCharacters: 4096,
  /** Prompts, images or code grids in one call. */
  items: 100_000,
  /** Samples asked of inpaint/outpaint. */
  count: 100_000,
  /** Requests decoded together. */
  batchSize: 4096,
  /** Width or height of an input image, in pixels. */
  imageSide: 16_384,
} as const;

export function checkPrompt(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new InputError(what, value, 'a string');
  if (value.length > INPUT_LIMITS.promptCharacters) {
    throw new InputError(what, `${value.length} characters`, `at most ${INPUT_LIMITS.promptCharacters} characters`);
  }
  return value;
}

export function checkPrompts(value: unknown, what = 'prompts'): readonly string[] {
  const list = checkList(value, what, 'an array of prompt strings');
  list.forEach((prompt, index) => checkPrompt(prompt, `${what}[${index}]`));
  return list as readonly string[];
}

/** An array of 1..INPUT_LIMITS.items entries. */
export function checkList(value: unknown, what: string, expected: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new InputError(what, value, expected);
  if (value.length === 0 || value.length > INPUT_LIMITS.items) {
    throw new InputError(`${what} length`, value.length, `1 to ${INPUT_LIMITS.items} entries`);
  }
  return value;
}

/** An integer in [min, max], named `what`. */
export function checkInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(what, value, `an integer from ${min} to ${max}`);
  }
  return value;
}

/**
 * A GrayImage: positive integer width and height, `channels` 1 (or absent) or 3, a Float32Array of
 * width x height x channels values, every one finite and in [0, 1] (0-255 data is the usual
 * mistake, so the message says how to scale).
 */
export function checkImage(value: unknown, what: string): GrayImage {
  if (typeof value !== 'object' || value === null) throw new InputError(what, value, 'a GrayImage { width, height, pixels }');
  const { width, height, pixels, channels } = value as Partial<Record<keyof GrayImage, unknown>>;
  checkInteger(width, `${what}.width`, 1, INPUT_LIMITS.imageSide);
  checkInteger(height, `${what}.height`, 1, INPUT_LIMITS.imageSide);
  if (channels !== undefined && channels !== 1 && channels !== 3) throw new InputError(`${what}.channels`, channels, '1 (gray) or 3 (RGB)');
  const perPixel = channels === 3 ? 3 : 1;
  const size = (width as number) * (height as number) * perPixel;
  const shape = `${String(width)}x${String(height)}${perPixel === 3 ? 'x3' : ''}`;
  if (!(pixels instanceof Float32Array)) {
    throw new InputError(`${what}.pixels`, pixels === undefined ? undefined : describeKind(pixels), `a Float32Array of ${size} values in [0, 1]`);
  }
  if (pixels.length !== size) {
    throw new InputError(`${what}.pixels length`, pixels.length, `${size} (width ${String(width)} x height ${String(height)}${perPixel === 3 ? ' x 3 channels' : ''})`,
      `${what}: pixels has ${pixels.length} values but the image is ${shape} (${size} ${perPixel === 3 ? 'values' : 'pixels'})`);
  }
  for (let index = 0; index < pixels.length; index++) {
    const pixel = pixels[index] as number;
    if (pixel >= 0 && pixel <= 1) continue; // false for NaN too
    const hint = Number.isFinite(pixel) && pixel > 1 && pixel <= 255 ? ': scale 0–255 images by 1/255' : '';
    throw new InputError(`${what}.pixels[${index}]`, pixel, 'a finite number in [0, 1]',
      `${what}: pixels must be ${Number.isFinite(pixel) ? '' : 'finite numbers '}in [0, 1]; got ${pixel} at index ${index}${hint}`);
  }
  return value as GrayImage;
}

export function checkImages(value: unknown, what = 'images'): readonly GrayImage[] {
  const list = checkList(value, what, 'an array of GrayImage { width, height, pixels }');
  list.forEach((image, index) => checkImage(image, `${what}[${index}]`));
  return list as readonly GrayImage[];
}

/** Code grids for describeCodes: `perImage` integer codes in [0, codebookSize) each. */
export function checkCodeGrids(value: unknown, perImage: number, codebookSize: number, what = 'codes'): readonly ArrayLike<number>[] {
  const list = checkList(value, what, `an array of code grids (${perImage} codes each)`);
  list.forEach((grid, index) => {
    const codes = grid as Partial<ArrayLike<unknown>> | null;
    if (typeof codes !== 'object' || codes === null || codes.length !== perImage) {
      throw new InputError(`${what}[${index}]`, codes?.length === undefined ? codes : `${String(codes.length)} codes`, `${perImage} codes`);
    }
    for (let i = 0; i < perImage; i++) checkInteger(codes[i], `${what}[${index}][${i}]`, 0, codebookSize - 1);
  });
  return list as readonly ArrayLike<number>[];
}

function describeKind(value: unknown): string {
  if (Array.isArray(value)) return 'an Array';
  if (typeof value === 'object' && value !== null) return `a ${value.constructor.name}`;
  return describeValue(value);
}
