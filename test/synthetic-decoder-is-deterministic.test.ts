import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeSyntheticDecoder, type SyntheticDecoderSpec, writeSyntheticDecoder } from '../src/synthetic/synthetic-decoder.ts';

const SPEC: SyntheticDecoderSpec = {
  vocabSize: 40, hiddenSize: 16, numLayers: 2, numHeads: 2, maxPositions: 12, seed: 2024, maskStyle: 'omni-4d',
};
// embed + positions + per layer (4 D*D + 2 D*4D) + lm head, float32.
const WEIGHT_BYTES = 4 * (40 * 16 + 12 * 16 + 2 * (4 * 16 * 16 + 2 * 16 * 64) + 16 * 40);

describe('writeSyntheticDecoder', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'omnidecode-synth-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes identical bytes for the same seed and different weights for another seed', () => {
    const a = join(dir, 'a.onnx');
    const b = join(dir, 'b.onnx');
    const c = join(dir, 'c.onnx');
    writeSyntheticDecoder(SPEC, a);
    writeSyntheticDecoder(SPEC, b);
    writeSyntheticDecoder({ ...SPEC, seed: 2025 }, c);
    const bytesA = readFileSync(a);
    const bytesC = readFileSync(c);
    expect(bytesA.length).toBeGreaterThan(WEIGHT_BYTES);
    expect(bytesA.equals(readFileSync(b))).toBe(true);
    // Same graph, same size: only the weights move with the seed.
    expect(bytesC.length).toBe(bytesA.length);
    let differing = 0;
    for (let i = 0; i < bytesA.length; i++) if (bytesA[i] !== bytesC[i]) differing++;
    expect(differing).toBeGreaterThan(WEIGHT_BYTES / 2);
    // The in-memory encoding is the file's bytes.
    expect(Buffer.from(encodeSyntheticDecoder(SPEC).toBytes()).equals(bytesA)).toBe(true);
  });
});
