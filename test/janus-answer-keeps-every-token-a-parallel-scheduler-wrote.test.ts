import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JanusPipeline } from '../src/pipeline/janus/janus-pipeline.ts';
import { writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';

/**
 * A Janus answer is the generated segment's tokens up to its end, whatever scheduler wrote them:
 * maskgit fills 12 positions in 3 steps, and all 12 come back (not the first 3, one per step, as
 * when the step count stood in for the token count).
 */
describe('a Janus answer decoded by a parallel scheduler', () => {
  let root: string;
  let pipeline: JanusPipeline;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-parallel-'));
    writeSyntheticJanusFolder(join(root, 'janus'));
    pipeline = await JanusPipeline.load({ model: join(root, 'janus') });
  });
  afterAll(async () => {
    await pipeline.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps every token maskgit committed, in fewer steps than tokens', async () => {
    const run = await pipeline.complete('w5 w9', { maxTokens: 12, scheduler: 'maskgit', options: { steps: 3 } });
    const eos = pipeline.folder.eosTokenId;
    const end = run.ids.indexOf(eos);
    // More ids than steps: the old reading stopped at the step count.
    expect(run.ids.length).toBeGreaterThan(3);
    expect(run.ids.length).toBe(end < 0 ? 12 : end + 1);
    expect(run.stop).toBe(end < 0 ? 'max tokens' : 'eos');
    expect(run.text).toBe(pipeline.chat.decode(end < 0 ? run.ids : run.ids.slice(0, end)));
  });
});
