import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GrowingBuffer } from '../src/backends/onnx/growing-buffer.ts';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import type { ForwardInput } from '../src/core/transformer.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { janusSpecialIds } from '../src/synthetic/janus/janus-spec.ts';
import { janusIdSpace, ourJanusGreedy } from './support/janus-ours.ts';
import { interceptSessionRuns } from './support/ort-session-runs.ts';

/**
 * The Janus AR loop works in place: each step's ids, image codes, no-image mask, padding mask and
 * positions are written into buffers the forwards share (growing at least twofold, so a mask that
 * gains one position a step is not reallocated each step), the zero-length past is made once per
 * batch size and fed only without a cache, and the engine's own columns (pad, mask) are never drawn.
 * Seen from outside: the ArrayBuffers behind the tensors each graph is fed.
 */
const GRID = SMALL_JANUS_SPEC.generationGrid;
const ids = janusSpecialIds(SMALL_JANUS_SPEC);
const PROMPT = [ids.bos, 5, 9, 13, 22];

interface Fed {
  readonly outputs: readonly string[];
  readonly feeds: Readonly<Record<string, ort.Tensor>>;
}

/** Every run of every session while `action` runs, with what it was fed. */
async function recordRuns(action: () => Promise<unknown>): Promise<Fed[]> {
  const runs: Fed[] = [];
  const restore = interceptSessionRuns((session, feeds, results) => {
    runs.push({ outputs: session.outputNames, feeds });
    return results;
  });
  try {
    await action();
  } finally {
    restore();
  }
  return runs;
}

const buffers = (runs: readonly Fed[], name: string): Set<ArrayBufferLike> =>
  new Set(runs.filter((run) => name in run.feeds).map((run) => ((run.feeds[name] as ort.Tensor).data as BigInt64Array).buffer));

describe('Janus AR steps reuse their feed buffers', () => {
  let root: string;
  const folder = (): string => join(root, 'janus');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-buffers-'));
    writeSyntheticJanusFolder(folder());
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a growing buffer grows at least twofold, so one more element a step reallocates rarely', () => {
    const buffer = new GrowingBuffer((n) => new BigInt64Array(n));
    const seen = new Set<ArrayBufferLike>();
    for (let length = 5; length <= 100; length++) seen.add(buffer.view(length).buffer);
    expect(buffer.view(100)).toHaveLength(100);
    // 5, 10, 20, 40, 80, 160: six buffers for 96 sizes.
    expect(seen.size).toBe(6);
  });

  for (const guidance of [undefined, 3]) {
    it(`text and image AR feed the same buffers every step (${guidance === undefined ? 'no guidance' : 'guidance'})`, async () => {
      const textRuns = await recordRuns(() => ourJanusGreedy(folder(), { prompt: PROMPT, modality: 'text', length: 12, grid: GRID, ...(guidance === undefined ? {} : { guidance }) }));
      const imageRuns = await recordRuns(() => ourJanusGreedy(folder(), { prompt: [...PROMPT, ids.beginOfImage], modality: 'image', length: GRID * GRID, grid: GRID, ...(guidance === undefined ? {} : { guidance }) }));
      for (const runs of [textRuns, imageRuns]) {
        const lm = runs.filter((run) => run.outputs.includes('present.0.key'));
        expect(lm.length).toBeGreaterThan(5);
        // Prefill [B, 5] then [B, 1] a step: one ids buffer, one positions buffer.
        expect(buffers(lm, 'position_ids').size).toBe(1);
        // The mask gains one position a step: a buffer per doubling, not one a step.
        const sizes = lm.map((run) => (run.feeds.attention_mask as ort.Tensor).size);
        const doublings = Math.ceil(Math.log2((sizes.at(-1) as number) / (sizes[0] as number)));
        expect(buffers(lm, 'attention_mask').size).toBeLessThanOrEqual(1 + doublings);
        expect(1 + doublings).toBeLessThan(lm.length);
        const prepare = runs.filter((run) => 'images_seq_mask' in run.feeds);
        expect(buffers(prepare, 'input_ids').size).toBe(1);
        expect(buffers(prepare, 'images_seq_mask').size).toBe(1);
        // The cache is fed once it exists: a zero-length past only at the prefill.
        const empty = lm.filter((run) => (run.feeds['past_key_values.0.key'] as ort.Tensor).dims[2] === 0);
        expect(empty).toHaveLength(1);
      }
      const codes = imageRuns.filter((run) => 'image_ids' in run.feeds);
      expect(codes.length).toBeGreaterThan(GRID * GRID - 2);
      expect(buffers(codes, 'image_ids').size).toBe(1);
    });
  }

  it('one zero-length past per batch size across forwards; the engine\'s own columns are never drawn', async () => {
    const janus = janusIdSpace(folder(), GRID);
    const model = await JanusTransformer.load(folder(), { ids: janus, maxPositions: SMALL_JANUS_SPEC.maxPositions });
    try {
      const length = PROMPT.length;
      const input: ForwardInput = {
        inputIds: Int32Array.from(PROMPT), positionIds: Int32Array.from(PROMPT, (_, i) => i), batch: 1, length,
        attentionMask: Uint8Array.from({ length: length * length }, (_, i) => (i % length <= Math.floor(i / length) ? 1 : 0)),
      };
      const runs = await recordRuns(async () => {
        for (let i = 0; i < 2; i++) (await model.forward(input)).present.dispose();
      });
      const pasts = runs.filter((run) => 'past_key_values.0.key' in run.feeds).map((run) => run.feeds['past_key_values.0.key']);
      expect(pasts).toHaveLength(2);
      expect(pasts[0]).toBe(pasts[1]);
      const output = await model.forward(input);
      output.present.dispose();
      const vocab = output.vocabSize;
      for (let row = 0; row < length; row++) {
        expect(output.logits[row * vocab + janus.enginePad]).toBe(Math.fround(-1e30));
        expect(output.logits[row * vocab + janus.maskId]).toBe(Math.fround(-1e30));
      }
    } finally {
      await model.dispose();
    }
  });
});
