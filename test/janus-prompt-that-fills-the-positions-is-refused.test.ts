import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { JanusPipeline } from '../src/pipeline/janus/janus-pipeline.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';

/**
 * A text prompt that leaves the Janus folder no position for an answer is refused naming the
 * prompt and how many tokens fit, before any forward (not as "maxTokens: from 1 to 0").
 */
describe('a Janus prompt that fills the positions', () => {
  let root: string;
  let pipeline: JanusPipeline;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-full-'));
    writeSyntheticJanusFolder(join(root, 'janus'));
    pipeline = await JanusPipeline.load({ model: join(root, 'janus') });
  });
  afterAll(async () => {
    await pipeline.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('is refused naming the prompt', async () => {
    const words = new Array<string>(SMALL_JANUS_SPEC.maxPositions).fill('w5').join(' ');
    const asking = pipeline.complete(words);
    await expect(asking).rejects.toBeInstanceOf(InputError);
    await expect(asking).rejects.toMatchObject({ what: 'prompt', expected: `at most ${SMALL_JANUS_SPEC.maxPositions - 1} tokens (${SMALL_JANUS_SPEC.maxPositions} positions, 1 for the answer)` });
  });
});
