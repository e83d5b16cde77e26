import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCli } from './support/cli-process.ts';

describe('progress on a pipe', () => {
  it('a multi-image run prints plain progress lines, ending with the total', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-progress-'));
    const { done } = startCli(['generate', 'a bag', '-n', '12', '--steps', '2', '--batch-size', '4', '-o', 'bags.png'], dir);
    const { code, stderr } = await done;
    expect(code).toBe(0);
    expect(stderr).toMatch(/^decoding: 12\/12 images \(\d+\.\d s\)$/m);
    // No bar drawing characters or cursor codes on a pipe.
    expect(stderr).not.toContain('\u001b[');
  }, 60_000);
});
