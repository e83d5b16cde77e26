import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import { ModelFileError } from '../src/core/errors.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { janusIdSpace } from './support/janus-ours.ts';

/** A Janus folder without one of the graphs its session table declares is refused naming that graph and its file. */
describe('a Janus folder missing a graph', () => {
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-missing-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder);
    rmSync(join(folder, 'onnx', 'gen_head.onnx'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is refused naming gen_head and gen_head.onnx', async () => {
    const ids = janusIdSpace(folder, SMALL_JANUS_SPEC.generationGrid);
    const loading = JanusTransformer.load(folder, { ids, maxPositions: SMALL_JANUS_SPEC.maxPositions });
    await expect(loading).rejects.toBeInstanceOf(ModelFileError);
    await expect(loading).rejects.toThrow(/model file missing: gen_head \(.*onnx\/gen_head\.onnx\); declared by the session table/u);
  });
});
