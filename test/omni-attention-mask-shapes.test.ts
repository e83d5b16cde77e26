import { describe, expect, it } from 'vitest';
import { buildAttentionMask, writeAttentionMask, type AttentionLayout } from '../src/core/omni-attention-mask.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { buildSequenceLayout } from '../src/core/sequence-layout.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';

/** The mask as rows of '1'/'.' for readable expectations. */
function picture(mask: Uint8Array, n: number): string[] {
  return Array.from({ length: n }, (_, q) => Array.from(mask.subarray(q * n, (q + 1) * n), (v) => (v === 1 ? '1' : '.')).join(''));
}

function maskOf(request: GenerationRequest, blockGenerate: [number, boolean][] = []): string[] {
  const layout = buildSequenceLayout([request], testVocabulary(), false, new Map(blockGenerate));
  const attention = layout.attention[0] as AttentionLayout;
  return picture(buildAttentionMask(attention), layout.length);
}

const PROMPT = [T.pad, T.t2i, T.bos, 3, T.eos, T.soi];

describe('omni-attention mask shapes', () => {
  it('text is causal', () => {
    expect(maskOf({ segments: [{ type: 'tokens', ids: [T.bos, 3, 4, 5] }] })).toEqual([
      '1...',
      '11..',
      '111.',
      '1111',
    ]);
  });

  it('a MaskGIT image block is bidirectional, sees the preceding text, and leaves <|soi|>/<|eoi|> causal; pad columns blocked', () => {
    const request: GenerationRequest = {
      segments: [
        { type: 'tokens', ids: PROMPT },
        { type: 'generate', modality: 'image', scheduler: 'maskgit', length: 3 },
        { type: 'tokens', ids: [T.eoi] },
      ],
    };
    expect(maskOf(request, [[1, true]])).toEqual([
      '1.........', // pad row: only itself
      '.1........', // <|t2i|>: the pad column is blocked
      '.11.......',
      '.111......',
      '.1111.....',
      '.11111....', // <|soi|> does not see the image
      '.11111111.', // image rows: all text before + the whole block
      '.11111111.',
      '.11111111.',
      '.111111111', // <|eoi|>
    ]);
  });

  it('a given image segment is a bidirectional block too', () => {
    const request: GenerationRequest = {
      segments: [{ type: 'tokens', ids: [T.mmu, T.soi] }, { type: 'image', codes: [1, 2, 3] }, { type: 'tokens', ids: [T.eoi, T.bos] }],
    };
    expect(maskOf(request)).toEqual([
      '1......',
      '11.....',
      '11111..',
      '11111..',
      '11111..',
      '111111.',
      '1111111',
    ]);
  });

  it('causal image mode: an autoregressive image segment keeps the causal base', () => {
    const request: GenerationRequest = {
      segments: [
        { type: 'tokens', ids: PROMPT },
        { type: 'generate', modality: 'image', scheduler: 'autoregressive', length: 3 },
      ],
    };
    expect(maskOf(request, [[1, false]])).toEqual([
      '1........',
      '.1.......',
      '.11......',
      '.111.....',
      '.1111....',
      '.11111...',
      '.111111..',
      '.1111111.',
      '.11111111',
    ]);
  });

  it("Show-o's MMU variant as a layout: the prefix up to <|eoi|> is one bidirectional block, the answer causal", () => {
    const request: GenerationRequest = {
      segments: [
        { type: 'tokens', ids: [T.mmu, T.soi, T.imageOffset + 1, T.imageOffset + 2, T.eoi], attention: 'bidirectional' },
        { type: 'tokens', ids: [T.bos, 3] },
        { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 2 },
      ],
    };
    expect(maskOf(request, [[2, false]])).toEqual([
      '11111....',
      '11111....',
      '11111....',
      '11111....',
      '11111....',
      '111111...',
      '1111111..',
      '11111111.',
      '111111111',
    ]);
  });

  it('a pad row inside the sequence (a stopped text row) sees only itself and is seen by nobody', () => {
    const layout: AttentionLayout = { length: 5, blocks: new Int32Array(5).fill(-1), pad: Uint8Array.from([0, 0, 1, 1, 0]) };
    expect(picture(buildAttentionMask(layout), 5)).toEqual([
      '1....',
      '11...',
      '..1..',
      '...1.',
      '11..1',
    ]);
  });

  it('the rows the engine writes for a later forward are the same rows of the full mask', () => {
    const blocks = Int32Array.from([-1, -1, -1, 3, 3, 3, 3, -1]);
    const layout: AttentionLayout = { length: 8, blocks, pad: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0]) };
    const full = buildAttentionMask(layout);
    const part = new Uint8Array(4 * 7 + 3);
    writeAttentionMask(layout, 3, 7, part, 3);
    for (let q = 3; q < 7; q++) {
      expect(Array.from(part.subarray(3 + (q - 3) * 7, 3 + (q - 2) * 7))).toEqual(Array.from(full.subarray(q * 8, q * 8 + 7)));
    }
  });
});
