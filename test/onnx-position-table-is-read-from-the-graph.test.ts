import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { readPositionTable } from '../src/pipeline/onnx-position-table.ts';
import { writeSyntheticDecoder } from '../src/synthetic/synthetic-decoder.ts';

describe('the position table a graph looks position_ids up in', () => {
  it('is found in the embedded transformer: 224 rows of the hidden size', () => {
    expect(readPositionTable(join(DEFAULT_MODEL_DIR, 'onnx', 'transformer.onnx'))).toEqual({ name: 'model.pos.weight', dims: [224, 128], rows: 224 });
  });

  it('is found in a synthetic decoder of another size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-table-'));
    try {
      const path = join(dir, 'decoder.onnx');
      writeSyntheticDecoder({ vocabSize: 50, hiddenSize: 16, numLayers: 2, numHeads: 2, maxPositions: 37, seed: 1, maskStyle: 'omni-4d' }, path);
      expect(readPositionTable(path)).toEqual({ name: 'model.embed_positions.weight', dims: [37, 16], rows: 37 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is absent from a graph without position_ids', () => {
    expect(readPositionTable(join(DEFAULT_MODEL_DIR, 'onnx', 'vq-encoder.onnx'))).toBeUndefined();
  });
});
