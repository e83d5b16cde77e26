import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHuggingFaceDecoder } from '../src/synthetic/synthetic-decoder.ts';
import type { SyntheticDecoderSpec } from '../src/synthetic/synthetic-decoder-spec.ts';
import { BOS, EOS, ourGreedy } from './support/greedy-peers.ts';

/**
 * AR asks the backend for the last position's logits only (prefill and appends). A file with
 * num_logits_to_keep then returns one position per forward, and the engine's logits view maps it
 * to the position it predicts: tokens are identical to the same weights without that input (which
 * return every position), also when given tokens make an append feed several positions at once.
 */

const VOCAB = 64;
const MAX_POSITIONS = 48;
const SPEC: SyntheticDecoderSpec = {
  vocabSize: VOCAB, hiddenSize: 32, numLayers: 2, numHeads: 4, maxPositions: MAX_POSITIONS, seed: 3, maskStyle: 'standard-2d', weightScale: 0.5,
};
const PROMPT = [BOS, 5, 9, 13, 22, 40];

describe('AR from last-position logits', () => {
  let root: string;
  const all = (): string => join(root, 'every-position');
  const last = (): string => join(root, 'last-position');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-keep-'));
    writeHuggingFaceDecoder(SPEC, all(), { bosTokenId: BOS, eosTokenId: EOS });
    writeHuggingFaceDecoder({ ...SPEC, logitsToKeepInput: true }, last(), { bosTokenId: BOS, eosTokenId: EOS });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives the same tokens while every forward returns one position', async () => {
    const withAll = await ourGreedy(all(), PROMPT, 16, VOCAB, MAX_POSITIONS);
    const withLast = await ourGreedy(last(), PROMPT, 16, VOCAB, MAX_POSITIONS);
    expect(withLast.ids).toEqual(withAll.ids);
    expect(withAll.ids.length).toBe(16);
    // Without the input the file returns the whole prefill; with it, one position each time.
    expect(withAll.kept[0]).toBe(PROMPT.length);
    expect(withLast.kept.every((kept) => kept === 1)).toBe(true);
  });

  it('maps the last position right when given tokens make one append feed several positions', async () => {
    // Positions 2..4 are given: the append after position 1 feeds 1..4 in one forward and reads position 5.
    const known = Array.from({ length: 12 }, (_, i) => (i >= 2 && i <= 4 ? 30 + i : -1));
    const withAll = await ourGreedy(all(), PROMPT, 12, VOCAB, MAX_POSITIONS, known);
    const withLast = await ourGreedy(last(), PROMPT, 12, VOCAB, MAX_POSITIONS, known);
    expect(withLast.ids).toEqual(withAll.ids);
    expect(withLast.ids.slice(2, 5)).toEqual([32, 33, 34]);
    expect(withAll.kept).toContain(4);
    expect(withLast.kept.every((kept) => kept === 1)).toBe(true);
  });
});
