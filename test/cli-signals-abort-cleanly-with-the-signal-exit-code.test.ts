import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from './support/cli-process.ts';

describe('a signal aborts a run cleanly', () => {
  it.each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s: exit %i, no output and no temporary left', async (signal, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-signal-'));
    // Long enough to be mid-run when the first progress line arrives.
    const run = startCli(['generate', 'a bag', '-n', '3000', '--steps', '12', '--batch-size', '8', '-o', 'bags.png', '--trace', 'trace.png'], dir);
    await run.waitForStderr(/^decoding: \d+\/3000 images/m);
    run.child.kill(signal);
    const { code: exitCode, stderr } = await run.done;
    expect(exitCode).toBe(code);
    expect(stderr).toContain(`interrupted by ${signal}`);
    expect(readdirSync(dir)).toEqual([]);
  }, 120_000);
});
