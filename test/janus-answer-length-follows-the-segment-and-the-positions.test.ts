import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { JanusPipeline } from '../src/pipeline/janus/janus-pipeline.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';

/**
 * How long a Janus answer is: the generated segment's tokens up to its end, whatever scheduler wrote
 * them (maskgit fills 12 positions in 3 steps, and all 12 come back, not one per step); and a prompt
 * that leaves no position for an answer is refused naming the prompt, before any forward (not as
 * "maxTokens: from 1 to 0").
 */
describe('a Janus answer\'s length', () => {
  let root: string;
  let pipeline: JanusPipeline;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-answer-'));
    writeSyntheticJanusFolder(join(root, 'janus'));
    pipeline = await JanusPipeline.load({ model: join(root, 'janus') });
  });
  afterAll(async () => {
    await pipeline.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps every token a parallel scheduler committed, in fewer steps than tokens', async () => {
    const run = await pipeline.complete('w5 w9', { maxTokens: 12, scheduler: 'maskgit', options: { steps: 3 } });
    const end = run.ids.indexOf(pipeline.folder.eosTokenId);
    // More ids than steps: the old reading stopped at the step count.
    expect(run.ids.length).toBeGreaterThan(3);
    expect(run.ids.length).toBe(end < 0 ? 12 : end + 1);
    expect(run.stop).toBe(end < 0 ? 'max tokens' : 'eos');
    expect(run.text).toBe(pipeline.chat.decode(end < 0 ? run.ids : run.ids.slice(0, end)));
  });

  it('has no room when the prompt fills the positions: the prompt is refused', async () => {
    const words = new Array<string>(SMALL_JANUS_SPEC.maxPositions).fill('w5').join(' ');
    const asking = pipeline.complete(words);
    await expect(asking).rejects.toBeInstanceOf(InputError);
    await expect(asking).rejects.toMatchObject({ what: 'prompt', expected: `at most ${SMALL_JANUS_SPEC.maxPositions - 1} tokens (${SMALL_JANUS_SPEC.maxPositions} positions, 1 for the answer)` });
  });
});
