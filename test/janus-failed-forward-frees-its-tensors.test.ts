import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import { ModelFileError } from '../src/core/errors.ts';
import type { ForwardInput } from '../src/core/transformer.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { JANUS_HIDDEN_STATES } from '../src/synthetic/janus/janus-io-names.ts';
import { janusSpecialIds } from '../src/synthetic/janus/janus-spec.ts';
import { janusIdSpace } from './support/janus-ours.ts';
import { interceptSessionRuns } from './support/ort-session-runs.ts';

/**
 * A Janus forward that fails leaves no tensor behind: the embeddings when the language model
 * throws, every result (present, hidden state) when one is missing, and every output when a head
 * throws. Seen as the ORT tensors' location: 'none' once disposed.
 */
const ids = janusSpecialIds(SMALL_JANUS_SPEC);
const PROMPT = [ids.bos, 5, 9, 13, 22];
const L = PROMPT.length;
const INPUT: ForwardInput = {
  inputIds: Int32Array.from(PROMPT), positionIds: Int32Array.from(PROMPT, (_, i) => i), batch: 1, length: L,
  attentionMask: Uint8Array.from({ length: L * L }, (_, i) => (i % L <= Math.floor(i / L) ? 1 : 0)),
  logitsFor: 'last',
};

type Graph = 'prepare' | 'language model' | 'head';
type Results = ort.InferenceSession.OnnxValueMapType;

const graphOf = (session: ort.InferenceSession): Graph =>
  session.outputNames.includes('present.0.key') ? 'language model' : session.inputNames.includes(JANUS_HIDDEN_STATES) ? 'head' : 'prepare';

/**
 * Runs every session as usual, except that `change` may throw or rewrite a graph's results; every
 * tensor a run gave is kept in `made`.
 */
function interceptRuns(change: (graph: Graph, results: Results, call: number) => Results): ort.Tensor[] {
  const made: ort.Tensor[] = [];
  const calls = new Map<Graph, number>();
  restore = interceptSessionRuns((session, _, results) => {
    const graph = graphOf(session);
    const call = calls.get(graph) ?? 0;
    calls.set(graph, call + 1);
    made.push(...Object.values(results));
    return change(graph, results, call);
  });
  return made;
}
let restore = (): void => undefined;

describe('a failed Janus forward frees its tensors', () => {
  let root: string;
  let model: JanusTransformer;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-failed-'));
    writeSyntheticJanusFolder(join(root, 'janus'));
    model = await JanusTransformer.load(join(root, 'janus'), { ids: janusIdSpace(join(root, 'janus'), SMALL_JANUS_SPEC.generationGrid), maxPositions: SMALL_JANUS_SPEC.maxPositions });
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => restore());

  it('the language model throws: the embeddings are disposed', async () => {
    const made = interceptRuns((graph, results) => {
      if (graph === 'language model') {
        for (const value of Object.values(results)) value.dispose();
        throw new Error('language model failed');
      }
      return results;
    });
    await expect(model.forward(INPUT)).rejects.toThrow('language model failed');
    expect(made.length).toBeGreaterThan(0);
    for (const tensor of made) expect(tensor.location).toBe('none');
  });

  it('the hidden state is missing: every present is disposed', async () => {
    const made = interceptRuns((graph, results) => {
      if (graph !== 'language model') return results;
      const { [JANUS_HIDDEN_STATES]: hidden, ...rest } = results;
      hidden?.dispose();
      return rest;
    });
    await expect(model.forward(INPUT)).rejects.toThrow(ModelFileError);
    expect(made.filter((tensor) => tensor.dims.length === 4)).toHaveLength(2 * SMALL_JANUS_SPEC.numLayers);
    for (const tensor of made) expect(tensor.location).toBe('none');
  });

  it('a present is missing: the hidden state and the other presents are disposed', async () => {
    const made = interceptRuns((graph, results) => {
      if (graph !== 'language model') return results;
      const { 'present.0.value': value, ...rest } = results;
      value?.dispose();
      return rest;
    });
    await expect(model.forward(INPUT)).rejects.toThrow(ModelFileError);
    for (const tensor of made) expect(tensor.location).toBe('none');
  });

  it('the second head throws: the first head\'s logits, the hidden state and the presents are disposed', async () => {
    const made = interceptRuns((graph, results, call) => {
      if (graph === 'head' && call === 1) {
        for (const value of Object.values(results)) value.dispose();
        throw new Error('head failed');
      }
      return results;
    });
    await expect(model.forward(INPUT)).rejects.toThrow('head failed');
    for (const tensor of made) expect(tensor.location).toBe('none');
  });

  it('a forward that succeeds hands over its present and frees the rest', async () => {
    const made = interceptRuns((_, results) => results);
    const output = await model.forward(INPUT);
    const kept = made.filter((tensor) => tensor.location !== 'none');
    expect(kept).toHaveLength(2 * SMALL_JANUS_SPEC.numLayers);
    output.present.dispose();
    for (const tensor of made) expect(tensor.location).toBe('none');
  });
});
