import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InvalidRequestError } from '../src/core/errors.ts';
import { type CacheTensor, OnnxKeyValueCache } from '../src/backends/onnx/onnx-kv-cache.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { writeSyntheticDecoder } from '../src/synthetic/synthetic-decoder.ts';

const LAYERS = 3;

function causalMask(length: number, past: number): Uint8Array {
  const total = past + length;
  const mask = new Uint8Array(length * total);
  for (let i = 0; i < length; i++) mask.fill(1, i * total, i * total + past + i + 1);
  return mask;
}

/** Spies on every tensor of a cache; returns the spies in layer order, key then value. */
function spyOnTensors(cache: OnnxKeyValueCache): Array<ReturnType<typeof vi.fn>> {
  return cache.layers.flatMap(([key, value]) => [vi.spyOn(key, 'dispose'), vi.spyOn(value, 'dispose')]);
}

describe('OnnxKeyValueCache disposal', () => {
  let dir: string;
  let model: OnnxTransformer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'omnidecode-dispose-'));
    const path = join(dir, 'transformer.onnx');
    writeSyntheticDecoder({ vocabSize: 32, hiddenSize: 16, numLayers: LAYERS, numHeads: 2, maxPositions: 16,
      seed: 3, maskStyle: 'omni-4d' }, path);
    model = await OnnxTransformer.load(path, { maxPositions: 16 });
  });

  afterAll(async () => {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('disposes each of a fake cache\'s tensors exactly once however often it is called', () => {
    const disposed: string[] = [];
    const tensor = (name: string): CacheTensor => ({ dims: [2, 4, 5, 8], dispose: () => disposed.push(name) });
    const cache = new OnnxKeyValueCache([[tensor('k0'), tensor('v0')], [tensor('k1'), tensor('v1')]]);
    expect(cache.batch).toBe(2);
    expect(cache.length).toBe(5);
    cache.dispose();
    cache.dispose();
    expect(disposed).toEqual(['k0', 'v0', 'k1', 'v1']);
    expect(cache.disposed).toBe(true);
  });

  it('disposes every present tensor once, never the caller\'s past, and refuses a disposed past', async () => {
    const first = await model.forward({
      inputIds: Int32Array.from([1, 2, 3]), positionIds: Int32Array.from([0, 1, 2]),
      attentionMask: causalMask(3, 0), batch: 1, length: 3,
    });
    const past = first.present;
    expect(past).toBeInstanceOf(OnnxKeyValueCache);
    if (!(past instanceof OnnxKeyValueCache)) return;
    expect(past.layers).toHaveLength(LAYERS);
    const pastSpies = spyOnTensors(past);
    expect(pastSpies).toHaveLength(2 * LAYERS);

    const next = await model.forward({
      inputIds: Int32Array.from([4]), positionIds: Int32Array.from([3]),
      attentionMask: causalMask(1, 3), batch: 1, length: 1, past,
    });
    // forward reads the past but leaves it to its owner.
    for (const spy of pastSpies) expect(spy).not.toHaveBeenCalled();
    expect(next.present.length).toBe(4);

    past.dispose();
    past.dispose();
    for (const spy of pastSpies) expect(spy).toHaveBeenCalledTimes(1);

    const present = next.present;
    if (!(present instanceof OnnxKeyValueCache)) throw new Error('expected an OnnxKeyValueCache');
    const presentSpies = spyOnTensors(present);
    present.dispose();
    present.dispose();
    for (const spy of presentSpies) expect(spy).toHaveBeenCalledTimes(1);

    await expect(model.forward({
      inputIds: Int32Array.from([5]), positionIds: Int32Array.from([4]),
      attentionMask: causalMask(1, 4), batch: 1, length: 1, past: present,
    })).rejects.toBeInstanceOf(InvalidRequestError);
  });
});
