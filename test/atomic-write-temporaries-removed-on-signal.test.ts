import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortError } from '../src/core/errors.ts';
import { removeLiveTemporaries, writeFileAtomic } from '../src/tokenizers/png-image.ts';

describe('removeLiveTemporaries', () => {
  it('removes the temporary file of a write in progress, which then writes nothing at its target', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'live-temp-'));
    const target = join(folder, 'out.png');
    const writing = writeFileAtomic(target, Buffer.alloc(64 * 1024 * 1024, 1)).then(() => undefined, (caught: unknown) => caught);
    // Wait until the hidden .out.png.<pid>.<hex>.tmp exists, as it would when SIGTERM arrives mid-write.
    const deadline = Date.now() + 10_000;
    while (readdirSync(folder).length === 0 && Date.now() < deadline) await new Promise((done) => setImmediate(done));
    expect(readdirSync(folder)).toEqual([expect.stringMatching(new RegExp(`^\\.out\\.png\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`))]);
    removeLiveTemporaries();
    expect(readdirSync(folder)).toEqual([]);
    expect(await writing).toBeInstanceOf(AbortError);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('leaves finished writes alone', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'live-temp-'));
    await writeFileAtomic(join(folder, 'done.png'), 'whole');
    removeLiveTemporaries();
    expect(readdirSync(folder)).toEqual(['done.png']);
  });
});
