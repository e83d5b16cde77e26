import { describe, expect, it } from 'vitest';
import { InputError, ModelFileError } from '../src/core/errors.ts';
import type { NamedTensor, TensorGraph } from '../src/core/tensor-graph.ts';
import { ImageTokenizer, maskToGrid } from '../src/tokenizers/image-tokenizer.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';

const S = 28;
const CELL = 4; // 28 / 7

/** A fake VQ: code = round(9 x mean of the 4x4 block); decoding fills the block with code / 9 * 1.2 (overshoots). */
class FakeGraph implements TensorGraph {
  readonly feeds: Array<Readonly<Record<string, NamedTensor>>> = [];
  constructor(readonly path: string, readonly inputNames: readonly string[], readonly outputNames: readonly string[],
    private readonly body: (input: NamedTensor) => NamedTensor) {}
  async run(feeds: Readonly<Record<string, NamedTensor>>): Promise<Record<string, NamedTensor>> {
    this.feeds.push(feeds);
    const input = feeds[this.inputNames[0] as string] as NamedTensor;
    return { [this.outputNames[0] as string]: this.body(input) };
  }
  async dispose(): Promise<void> {}
}

function fakeEncoder(): FakeGraph {
  return new FakeGraph('vq-encoder.onnx', ['pixels'], ['codes'], (input) => {
    const batch = input.dims[0] as number;
    const codes = new BigInt64Array(batch * 49);
    for (let b = 0; b < batch; b++) {
      for (let cell = 0; cell < 49; cell++) {
        let sum = 0;
        for (let y = 0; y < CELL; y++) {
          for (let x = 0; x < CELL; x++) {
            sum += input.data[b * S * S + (Math.floor(cell / 7) * CELL + y) * S + (cell % 7) * CELL + x] as number;
          }
        }
        codes[b * 49 + cell] = BigInt(Math.round((9 * sum) / (CELL * CELL)));
      }
    }
    return { type: 'int64', data: codes, dims: [batch, 7, 7] };
  });
}

function fakeDecoder(): FakeGraph {
  return new FakeGraph('vq-decoder.onnx', ['codes'], ['pixels'], (input) => {
    const batch = input.dims[0] as number;
    const pixels = new Float32Array(batch * S * S);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < S * S; i++) {
        const cell = Math.floor(Math.floor(i / S) / CELL) * 7 + Math.floor((i % S) / CELL);
        pixels[b * S * S + i] = (Number(input.data[b * 49 + cell] as bigint) / 9) * 1.2 - 0.05;
      }
    }
    return { type: 'float32', data: pixels, dims: [batch, 1, S, S] };
  });
}

/** Left `fraction` of the columns white. */
function leftBlock(width: number, height: number, columns: number): GrayImage {
  return { width, height, pixels: Float32Array.from({ length: width * height }, (_, i) => (i % width < columns ? 1 : 0)) };
}

const ROW_OF_CODES = [9, 9, 9, 0, 0, 0, 0];

function tokenizer(warnings: string[] = []): { tokenizer: ImageTokenizer; encoder: FakeGraph; decoder: FakeGraph } {
  const encoder = fakeEncoder();
  const decoder = fakeDecoder();
  const result = new ImageTokenizer(encoder, decoder, {
    imageSize: S, grid: { height: 7, width: 7 }, codebookSize: 10, onWarning: (message) => warnings.push(message),
  });
  return { tokenizer: result, encoder, decoder };
}

describe('ImageTokenizer', () => {
  it('encodes S x S images in one batch, as float32 [B,1,S,S], without warnings', async () => {
    const warnings: string[] = [];
    const { tokenizer: vq, encoder } = tokenizer(warnings);
    const codes = await vq.encode([leftBlock(S, S, 12), leftBlock(S, S, 0)]);
    expect(Array.from(codes[0] as Int32Array)).toEqual(Array.from({ length: 7 }, () => ROW_OF_CODES).flat());
    expect(Array.from(codes[1] as Int32Array)).toEqual(new Array(49).fill(0));
    expect(encoder.feeds[0]?.pixels?.dims).toEqual([2, 1, S, S]);
    expect(encoder.feeds[0]?.pixels?.type).toBe('float32');
    expect(warnings).toEqual([]);
  });

  it('resizes other sizes to S x S by area and says so', async () => {
    const warnings: string[] = [];
    const { tokenizer: vq } = tokenizer(warnings);
    const [large] = await vq.encode([leftBlock(56, 56, 24)]);
    expect(Array.from(large as Int32Array)).toEqual(Array.from({ length: 7 }, () => ROW_OF_CODES).flat());
    const [wide] = await vq.encode([leftBlock(56, 28, 24)]);
    expect(Array.from(wide as Int32Array)).toEqual(Array.from({ length: 7 }, () => ROW_OF_CODES).flat());
    expect(warnings).toEqual([
      'image 0 is 56x56; resized to 28x28 for the VQ encoder',
      'image 0 is 56x28; resized to 28x28 (aspect ratio changed) for the VQ encoder',
    ]);
  });

  it('rejects an image of size 0', async () => {
    const { tokenizer: vq } = tokenizer();
    await expect(vq.encode([{ width: 0, height: 28, pixels: new Float32Array(0) }])).rejects.toThrow(InputError);
  });

  it('decodes codes as int64 [B,h,w] and clamps pixels to [0, 1]', async () => {
    const { tokenizer: vq, decoder } = tokenizer();
    const codes = Array.from({ length: 49 }, (_, i) => (i % 7 === 0 ? 9 : i % 7 === 1 ? 0 : 3));
    const [image] = await vq.decode([codes]);
    expect(decoder.feeds[0]?.codes?.dims).toEqual([1, 7, 7]);
    expect(decoder.feeds[0]?.codes?.data).toBeInstanceOf(BigInt64Array);
    expect(image?.width).toBe(S);
    expect(image?.pixels[0]).toBe(1); // 1.15 clamped
    expect(image?.pixels[4]).toBe(0); // -0.05 clamped
    expect(image?.pixels[8]).toBeCloseTo((3 / 9) * 1.2 - 0.05, 6);
  });

  it('rejects code grids of the wrong length or with codes outside the codebook', async () => {
    const { tokenizer: vq } = tokenizer();
    await expect(vq.decode([new Array(48).fill(0)])).rejects.toThrow('codes[0] length: got 48, expected 49 (7x7 grid)');
    await expect(vq.decode([[...new Array(48).fill(0), 10]])).rejects.toThrow('codes[0][48]: got 10, expected an image code in [0, 9]');
  });

  it('refuses graphs whose inputs do not match the contract', () => {
    const wrong = new FakeGraph('bad.onnx', ['image'], ['codes'], (input) => input);
    expect(() => new ImageTokenizer(wrong, fakeDecoder(), { imageSize: S, grid: { height: 7, width: 7 }, codebookSize: 10 }))
      .toThrow(ModelFileError);
  });
});

describe('maskToGrid', () => {
  const grid = { height: 7, width: 7 };

  it('area-averages the mask per cell and regenerates cells at least half covered', () => {
    // 14 white columns: cells 0..2 fully covered, cell 3 (columns 12..15) exactly half.
    expect(Array.from(maskToGrid(leftBlock(S, S, 14), grid))).toEqual(Array.from({ length: 7 }, () => [1, 1, 1, 1, 0, 0, 0]).flat());
    // 13 columns: cell 3 is a quarter covered -> kept.
    expect(Array.from(maskToGrid(leftBlock(S, S, 13), grid))).toEqual(Array.from({ length: 7 }, () => [1, 1, 1, 0, 0, 0, 0]).flat());
  });

  it('resizes a mask of another size with the same aspect ratio as the image', () => {
    const { tokenizer: vq } = tokenizer();
    expect(Array.from(vq.maskToGrid(leftBlock(280, 280, 140)))).toEqual(Array.from(maskToGrid(leftBlock(S, S, 14), grid)));
    // Image and mask both 2:1; the mask is drawn at half the image's resolution.
    expect(Array.from(maskToGrid(leftBlock(50, 25, 25), grid, { width: 100, height: 50 })))
      .toEqual(Array.from({ length: 7 }, () => [1, 1, 1, 1, 0, 0, 0]).flat());
  });

  it('throws InputError naming both sizes when the aspect ratios differ', () => {
    const { tokenizer: vq } = tokenizer();
    expect(() => vq.maskToGrid(leftBlock(28, 14, 7))).toThrow(InputError);
    expect(() => vq.maskToGrid(leftBlock(28, 14, 7), { width: 56, height: 56 }))
      .toThrow('the mask is 28x14 but the image is 56x56; their aspect ratios differ');
  });
});
