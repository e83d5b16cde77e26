import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunSettings, type CommonFlags } from '../src/cli/run-settings.ts';
import { ConfigError } from '../src/core/errors.ts';

async function refusal(flags: Partial<CommonFlags>): Promise<ConfigError> {
  const error = await loadRunSettings({ plugin: [], set: [], threads: '1', ...flags }, 'image').then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

function configFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'omni-paths-')), 'run.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('scheduler option errors name the place the user wrote the value', () => {
  it('schedulers.image.steps for a config file', async () => {
    const error = await refusal({ config: configFile('schedulers:\n  image:\n    name: maskgit\n    steps: 0\n') });
    expect(error.what).toBe('schedulers.image.steps');
    expect(error.message).toBe('schedulers.image.steps: got 0, expected an integer >= 1 and <= 4096');
    expect(error.message).not.toContain('maskgit.');
  });

  it('--steps, --guidance and --set <key> on the command line', async () => {
    expect((await refusal({ steps: '0' })).what).toBe('--steps');
    const guidance = await refusal({ guidance: '1e308' });
    expect(guidance.what).toBe('--guidance');
    expect(guidance.message).toContain('<= 100');
    const set = await refusal({ set: ['steps=0'] });
    expect(set.what).toBe('--set steps');
    expect(set.message).toBe('--set steps: got 0, expected an integer >= 1 and <= 4096');
  });

  it('a flag overriding a config value is named as the flag, a nested --set value by its path', async () => {
    const config = configFile('schedulers:\n  image:\n    name: maskgit\n    steps: 4\n');
    expect((await refusal({ config, set: ['steps=-2'] })).what).toBe('--set steps');
    expect((await refusal({ set: ['sampler={"topP":1.5}'] })).what).toBe('--set sampler.topP');
  });

  it('an unknown parameter is named where it was written, with the valid ones listed', async () => {
    const error = await refusal({ set: ['stepz=3'] });
    expect(error.what).toBe('--set stepz');
    expect(error.message).toMatch(/^unknown parameter --set stepz; valid parameters: .*steps/);
  });
});
