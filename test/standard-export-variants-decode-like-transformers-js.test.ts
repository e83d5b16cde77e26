import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { writeHuggingFaceDecoder } from '../src/synthetic/synthetic-decoder.ts';
import type { SyntheticDecoderSpec } from '../src/synthetic/synthetic-decoder-spec.ts';
import { BOS, EOS, ourGreedy, transformersJsGreedy } from './support/greedy-peers.ts';

/**
 * Standard decoder exports as people produce them — num_logits_to_keep, use_cache_branch, fp16
 * past and logits, int32 ids — each written from TypeScript with the same seeded weights: our
 * engine decodes greedily to exactly the tokens transformers.js's generate() gives on the same file.
 * transformers.js feeds int64 ids only, so the int32 file is held to transformers.js on its int64 twin.
 */

const VOCAB = 64;
const MAX_POSITIONS = 48;
const NEW_TOKENS = 16;
const PROMPT = [BOS, 5, 9, 13, 22, 40];
const BASE: SyntheticDecoderSpec = {
  vocabSize: VOCAB, hiddenSize: 32, numLayers: 2, numHeads: 4, maxPositions: MAX_POSITIONS, seed: 3, maskStyle: 'standard-2d', weightScale: 0.5,
};

const VARIANTS: Readonly<Record<string, Partial<SyntheticDecoderSpec>>> = {
  'plain export': {},
  'num_logits_to_keep': { logitsToKeepInput: true },
  'use_cache_branch (merged export)': { useCacheBranchInput: true },
  'fp16 past and logits': { pastType: 'float16', logitsType: 'float16' },
  'all of them': { logitsToKeepInput: true, useCacheBranchInput: true, pastType: 'float16', logitsType: 'float16' },
};

describe('standard export variants decode like transformers.js', () => {
  let root: string;
  const folder = (name: string): string => join(root, name.replace(/[^a-z0-9]+/gi, '-').replace(/^-+|-+$/g, ''));

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-variants-'));
    for (const [name, variant] of Object.entries(VARIANTS)) writeHuggingFaceDecoder({ ...BASE, ...variant }, folder(name), { bosTokenId: BOS, eosTokenId: EOS });
    writeHuggingFaceDecoder({ ...BASE, idType: 'int32' }, folder('int32 ids'), { bosTokenId: BOS, eosTokenId: EOS });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  for (const name of Object.keys(VARIANTS)) {
    it(`${name}: identical tokens`, async () => {
      const ours = await ourGreedy(folder(name), PROMPT, NEW_TOKENS, VOCAB, MAX_POSITIONS);
      const theirs = await transformersJsGreedy(folder(name), PROMPT, NEW_TOKENS);
      expect(ours.ids).toEqual(theirs);
      // A long enough run to mean something (no EOS in the first steps).
      expect(ours.ids.length).toBe(NEW_TOKENS);
    });
  }

  it('reads each variant from the file: optional inputs, fp16 cache and logits, int32 ids', async () => {
    const signature = async (name: string): Promise<OnnxTransformer['signature']> => {
      const model = await OnnxTransformer.load(join(folder(name), 'onnx', 'model.onnx'), { maxPositions: MAX_POSITIONS });
      await model.dispose();
      return model.signature;
    };
    expect(await signature('all of them')).toMatchObject({
      logitsToKeep: { type: 'int64', dims: [] }, useCacheBranch: true, pastType: 'float16', logitsType: 'float16', inputIdsType: 'int64',
    });
    expect(await signature('int32 ids')).toMatchObject({
      logitsToKeep: undefined, useCacheBranch: false, pastType: 'float32', inputIdsType: 'int32', positionIdsType: 'int32', maskType: 'int32',
    });
  });

  it('int32 ids: identical tokens to transformers.js on the int64 file with the same weights', async () => {
    await expect(transformersJsGreedy(folder('int32 ids'), PROMPT, NEW_TOKENS)).rejects.toThrow(/int32/);
    const ours = await ourGreedy(folder('int32 ids'), PROMPT, NEW_TOKENS, VOCAB, MAX_POSITIONS);
    expect(ours.ids).toEqual(await transformersJsGreedy(folder('plain export'), PROMPT, NEW_TOKENS));
  });

  it('use_cache_branch matters in the file: false with a real past changes the logits (so a wrong flag would show)', async () => {
    const session = await ort.InferenceSession.create(join(folder('use_cache_branch (merged export)'), 'onnx', 'model.onnx'));
    const ids = (values: number[]): ort.Tensor => new ort.Tensor('int64', BigInt64Array.from(values, BigInt), [1, values.length]);
    const empty = new ort.Tensor('float32', new Float32Array(0), [1, 4, 0, 8]);
    const prefill = await session.run({
      input_ids: ids(PROMPT), position_ids: ids(PROMPT.map((_, i) => i)), attention_mask: ids(PROMPT.map(() => 1)),
      use_cache_branch: new ort.Tensor('bool', Uint8Array.of(0), [1]),
      'past_key_values.0.key': empty, 'past_key_values.0.value': empty, 'past_key_values.1.key': empty, 'past_key_values.1.value': empty,
    });
    const step = async (flag: number): Promise<Float32Array> => (await session.run({
      input_ids: ids([7]), position_ids: ids([PROMPT.length]), attention_mask: ids([...PROMPT.map(() => 1), 1]),
      use_cache_branch: new ort.Tensor('bool', Uint8Array.of(flag), [1]),
      'past_key_values.0.key': prefill['present.0.key'] as ort.Tensor, 'past_key_values.0.value': prefill['present.0.value'] as ort.Tensor,
      'past_key_values.1.key': prefill['present.1.key'] as ort.Tensor, 'past_key_values.1.value': prefill['present.1.value'] as ort.Tensor,
    })).logits?.data as Float32Array;
    const withPast = await step(1);
    const ignored = await step(0);
    const largest = withPast.reduce((max, value, i) => Math.max(max, Math.abs(value - (ignored[i] ?? 0))), 0);
    expect(largest).toBeGreaterThan(0.05);
    await session.release();
  });
});
