import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A sweep small enough for a test: two maskgit settings (2 and 4 steps, no guidance) × two seeds ×
 * three images over two prompts = 12 jobs of a few milliseconds each. `overrides` replace fields.
 */
export function writeTinySweep(overrides: Record<string, unknown> = {}): { dir: string; path: string; jobs: number } {
  const dir = mkdtempSync(join(tmpdir(), 'omni-sweep-'));
  const sweep = {
    prompts: ['a sneaker', 'a bag'], imagesPerSetting: 3, seeds: [0, 1],
    grid: [{ scheduler: 'maskgit', steps: [2, 4], guidance: 0 }],
    ...overrides,
  };
  const path = join(dir, 'tiny.sweep.json');
  writeFileSync(path, JSON.stringify(sweep, null, 2));
  return { dir, path, jobs: 12 };
}
