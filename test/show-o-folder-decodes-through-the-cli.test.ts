import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { ForwardInput } from '../src/core/transformer.ts';
import { main } from '../src/cli/main.ts';
import { writeShowOFolder } from '../src/synthetic/show-o-folder.ts';
import { readPng } from '../src/tokenizers/png-image.ts';

/**
 * A synthetic folder with Show-o's real vocabulary and layouts (58498 ids, [PAD], bos = eos = 50256,
 * 16x16 grid, t2i prompt of 129, the MMU template), a tiny random transformer and RGB VQ, runs
 * `generate` and `describe` through the CLI with --model. The ids the model is fed are captured at
 * the transformer and checked at Show-o's positions.
 */

// Show-o's ids (REFERENCE.md), spelled out.
const PAD = 50295, SOI = 50296, EOI = 50297, T2I = 50300, MMU = 50301, ENDOFTEXT = 50256, FIRST_CODE = 50305, MASK = 58497;
// The stand-in tokenizer's named words sit at ids 0, 1, 2, ... in this order.
const WORDS = ['USER:', 'ASSISTANT:', 'Please', 'describe', 'this', 'image', 'in', 'detail.', 'a', 'cat'];
const id = (word: string): number => WORDS.indexOf(word);

interface Fed { readonly ids: Int32Array; readonly positions: Int32Array; readonly batch: number; readonly length: number }

/** Each row as the model saw it: the last id fed at each position. */
function rowsOf(forwards: readonly Fed[]): Map<number, number>[] {
  const rows: Map<number, number>[] = [];
  for (const { ids, positions, batch, length } of forwards) {
    for (let r = 0; r < batch; r++) {
      const row = rows[r] ?? new Map<number, number>();
      rows[r] = row;
      for (let i = 0; i < length; i++) row.set(positions[r * length + i] as number, ids[r * length + i] as number);
    }
  }
  return rows;
}

const range = (row: Map<number, number>, from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => row.get(from + i) as number);

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

describe('a Show-o-shaped folder through the CLI', () => {
  let root: string;
  let folder: string;
  const fed: Fed[] = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omni-show-o-'));
    folder = join(root, 'show-o');
    writeShowOFolder(folder, { seed: 7, words: WORDS });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  afterEach(() => { vi.restoreAllMocks(); });

  function recordForwards(): void {
    const original = OnnxTransformer.prototype.forward;
    vi.spyOn(OnnxTransformer.prototype, 'forward').mockImplementation(function (this: OnnxTransformer, input: ForwardInput) {
      // One token without a past is a loader's probe (positions 0 and maxPositions - 1), not a request.
      // Copies: the engine may reuse its input buffers for the next forward.
      if (input.length > 1 || input.past !== undefined) fed.push({ ids: input.inputIds.slice(), positions: input.positionIds.slice(), batch: input.batch, length: input.length });
      return original.call(this, input);
    });
  }

  it('generates an RGB PNG from Show-o\'s text -> image rows, then describes it from Show-o\'s MMU row', async () => {
    const image = join(root, 'cat.png');
    capture(process.stderr);
    recordForwards();
    expect(await main(['node', 'omnidecode', 'generate', '--model', folder, 'a cat', '-o', image, '--seed', '1', '--steps', '6'])).toBe(0);

    // An RGB PNG (IHDR colour type 2), 4x the 32x32 image, in colour.
    const bytes = readFileSync(image);
    expect(bytes[25]).toBe(2);
    const png = await readPng(image, { channels: 3 });
    expect([png.width, png.height, png.channels]).toEqual([128, 128, 3]);
    expect(Array.from({ length: 128 * 128 }, (_, i) => png.pixels[3 * i] !== png.pixels[3 * i + 1]).some(Boolean)).toBe(true);

    // Guidance (Show-o's default w = 5) runs the conditional and the empty prompt side by side.
    const t2iForwards = fed.filter((forward) => forward.batch === 2);
    const [cond, uncond] = rowsOf(t2iForwards);
    if (cond === undefined || uncond === undefined) throw new Error('expected two rows');
    // 0..385 are fed; <|eoi|> at 386 closes the row but is never fed: no position attends to it.
    expect(Math.max(...cond.keys())).toBe(385);
    expect(range(cond, 0, 124).every((token) => token === PAD)).toBe(true);
    expect(range(cond, 124, 130)).toEqual([T2I, ENDOFTEXT, id('a'), id('cat'), ENDOFTEXT, SOI]);
    expect(range(uncond, 0, 126).every((token) => token === PAD)).toBe(true);
    expect(range(uncond, 126, 130)).toEqual([T2I, ENDOFTEXT, ENDOFTEXT, SOI]);
    // Every image position starts masked (Show-o's t2i_generate).
    const first = t2iForwards.find((forward) => Array.from(forward.positions).includes(130)) as Fed;
    const start = Array.from(first.positions.subarray(0, first.length)).indexOf(130);
    expect(Array.from(first.ids.subarray(start, start + 256)).every((token) => token === MASK)).toBe(true);
    // Before the last step (whose commits need no forward) the canvas holds masks and committed codes only.
    const canvas = range(cond, 130, 386);
    expect(canvas.every((token) => token === MASK || (token >= FIRST_CODE && token < MASK))).toBe(true);
    expect(canvas.some((token) => token !== MASK)).toBe(true);

    const stdout = capture(process.stdout);
    fed.length = 0;
    expect(await main(['node', 'omnidecode', 'describe', '--model', folder, image, '--max-tokens', '6'])).toBe(0);
    const [row] = rowsOf(fed);
    if (row === undefined) throw new Error('expected a row');
    expect(range(row, 0, 2)).toEqual([MMU, SOI]);
    expect(range(row, 2, 258).every((token) => token >= FIRST_CODE && token < MASK)).toBe(true);
    expect(range(row, 258, 268)).toEqual([EOI, ENDOFTEXT, id('USER:'), ...'Please describe this image in detail.'.split(' ').map(id), id('ASSISTANT:')]);

    // The printed answer is the generated text: the answer ids fed back (all but the last) lead it.
    const answer = stdout().trim();
    expect(answer).not.toBe('');
    const vocab = (JSON.parse(readFileSync(join(folder, 'tokenizer.json'), 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab;
    const wordOf = new Map(Object.entries(vocab).map(([word, tokenId]) => [tokenId, word]));
    const fedAnswer = [...row.keys()].filter((position) => position >= 268).sort((a, b) => a - b).map((position) => row.get(position) as number);
    expect(fedAnswer.every((token) => token < 50295 && token !== ENDOFTEXT)).toBe(true);
    expect(answer.split(' ').slice(0, fedAnswer.length)).toEqual(fedAnswer.map((token) => wordOf.get(token)));
  }, 120_000);
});
