import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PluginLoadError, createEngine, createSchedulerContainer, loadPluginsOrThrow } from 'omnidecode';
import { codes, imageRequest, pluginVocabulary, segmentTokens, targetImageModel } from './support/plugin-fakes.ts';

const folder = mkdtempSync(join(tmpdir(), 'omnidecode-bad-plugins-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function plugin(name: string, source: string): string {
  const file = join(folder, name);
  writeFileSync(file, source);
  return file;
}

describe('plugin failures are reported in one message', () => {
  it('names every failing plugin file with its cause, and the built-ins still decode', async () => {
    const missing = join(folder, 'no-such-plugin.mjs');
    const empty = plugin('exports-nothing.mjs', 'export const version = 1;\n');
    const taken = plugin('takes-maskgit.mjs', `
class Copy { mode = 'block'; guidance = null; plannedSteps() { return 1; } begin() {} step() { return { commits: { count: 0 }, preview: null, done: true }; } }
export const schedulers = [{
  name: 'maskgit', description: 'a second maskgit', modalities: ['image'],
  parameters: { shape: {}, parse: () => ({}), describe: () => [] }, scheduler: Copy,
}];
`);
    const throwing = plugin('register-throws.mjs', "export function register() { throw new Error('no GPU found'); }\n");

    const { container, schedulers } = createSchedulerContainer();
    const builtIns = schedulers.names();
    const error = await loadPluginsOrThrow([missing, empty, taken, throwing], container).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(PluginLoadError);
    const failure = error as PluginLoadError;
    expect(failure.failures.map((item) => item.plugin)).toEqual([missing, empty, taken, throwing]);
    expect(failure.message.split('\n')).toEqual([
      '4 plugin(s) failed to load:',
      `  - plugin ${missing}: no such file or folder (from "${missing}", relative to ${process.cwd()})`,
      `  - plugin ${empty}: exports nothing registrable (expected register(api), or schedulers / logitsProcessors / stepHooks lists)`,
      `  - plugin ${taken}: scheduler name "maskgit" is already registered (by built-in)`,
      `  - plugin ${throwing}: register() threw: no GPU found`,
    ]);

    // Nothing of the failed plugins landed; the built-in maskgit is the one that decodes.
    expect(schedulers.names()).toEqual(builtIns);
    expect(builtIns).toContain('maskgit');
    expect(schedulers.get('maskgit').source).toBe('built-in');
    const target = [7, 3, 11, 0, 5, 9, 14, 2, 6];
    const { engine } = createEngine({ model: targetImageModel(target), vocabulary: pluginVocabulary(), container });
    const result = await engine.generate(imageRequest({ scheduler: 'maskgit', options: { steps: 3 } }));
    expect(codes(segmentTokens(result))).toEqual(target);
  });
});
