import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Classifier-free guidance is the engine's, applied once per step before the scheduler reads the logits. */
describe('no scheduler applies classifier-free guidance itself', () => {
  it('no file under src/schedulers or plugins names applyClassifierFreeGuidance', () => {
    const files = [...sourceFiles(join(repoRoot, 'src', 'schedulers')), ...sourceFiles(join(repoRoot, 'plugins'))];
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((file) => readFileSync(file, 'utf8').includes('applyClassifierFreeGuidance')).map((file) => relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });
});
