import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('npx omnidecode in this clone', () => {
  it('prints its own output with no npm warning before it (the .npmrc keys are ones npm knows)', () => {
    const result = execFileSync('npx', ['omnidecode', 'schedulers'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(result).toMatch(/^autoregressive /);
    // stderr is empty on success; execFileSync would have thrown on a failure. Check the config itself too:
    const npmrc = readFileSync(`${repoRoot}/.npmrc`, 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(npmrc).toEqual(['ignore-scripts=true']);
    const config = execFileSync('npm', ['config', 'get', 'ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(config.trim()).toBe('true');
  });

  it('stderr carries no "npm warn" line', () => {
    const stderr = execFileSync('sh', ['-c', 'npx omnidecode schedulers 2>&1 >/dev/null'], { cwd: repoRoot, encoding: 'utf8' });
    expect(stderr).not.toMatch(/npm warn/i);
  });
});
