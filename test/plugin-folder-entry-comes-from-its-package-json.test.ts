import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchedulerContainer, loadPlugins } from 'omnidecode';
import { resolvePluginSpecifier } from '../src/node/plugin-specifier.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const folder = mkdtempSync(join(tmpdir(), 'omnidecode-entry-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
mkdirSync(join(folder, 'node_modules'));
symlinkSync(repoRoot, join(folder, 'node_modules', 'omnidecode'), 'dir');

const source = (name: string): string => `
import { CommitList, defineParameters, defineScheduler } from 'omnidecode';
class Noop { mode = 'block'; guidance = null; plannedSteps() { return 1; } begin() {} step() { return { commits: new CommitList(0), preview: null, done: true }; } }
export function register(api) {
  api.registerScheduler(defineScheduler({ name: '${name}', description: 'x', modalities: ['image'], parameters: defineParameters({}), scheduler: Noop }));
}
`;

function pluginFolder(name: string, manifest: object, files: Record<string, string>): string {
  const dir = join(folder, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('a plugin folder is entered where its package.json says', () => {
  it('main: plugin.mjs (the documented form)', async () => {
    const dir = pluginFolder('by-main', { type: 'module', main: 'plugin.mjs' }, { 'plugin.mjs': source('by-main') });
    const { container } = createSchedulerContainer();
    expect(await loadPlugins([dir], container)).toMatchObject([{ ok: true, schedulers: ['by-main'] }]);
  });

  it('exports: { ".": { "import": "./lib/entry.mjs" } }', async () => {
    const dir = pluginFolder('by-exports', { type: 'module', exports: { '.': { import: './lib/entry.mjs' } } }, {});
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'entry.mjs'), source('by-exports'));
    const { container } = createSchedulerContainer();
    expect(await loadPlugins([dir], container)).toMatchObject([{ ok: true, schedulers: ['by-exports'] }]);
  });

  it('an installed package is found in node_modules above the config folder, entered by its main', () => {
    pluginFolder(join('node_modules', 'omnidecode-plugin-pkg'), { type: 'module', main: 'index.mjs' }, { 'index.mjs': source('from-package') });
    mkdirSync(join(folder, 'configs', 'deeper'), { recursive: true });
    // Importing it here would go through vitest's externalised node_modules path; the installed-package test imports one for real.
    expect(resolvePluginSpecifier('omnidecode-plugin-pkg', join(folder, 'configs', 'deeper'))).toEqual({
      specifier: pathToFileURL(join(folder, 'node_modules', 'omnidecode-plugin-pkg', 'index.mjs')).href, label: 'omnidecode-plugin-pkg',
    });
  });

  it('a main that does not exist is named in the error', async () => {
    const dir = pluginFolder('missing-main', { main: 'gone.mjs' }, {});
    const { container } = createSchedulerContainer();
    const [result] = await loadPlugins([dir], container);
    expect(result?.ok === false ? result.error.message : '').toContain(`package.json names "gone.mjs" as its entry, but ${join(dir, 'gone.mjs')} is not a file`);
  });
});
