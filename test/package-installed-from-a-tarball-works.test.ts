import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackedPackage, run } from './support/installed-package.ts';
import { leftToRightPluginSource } from './support/plain-js-plugin.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

const PLUGIN = leftToRightPluginSource('first-unknown', 7);

let project = '';

beforeAll(() => {
  ({ project } = installPackedPackage());
  // The documented folder form: only a package.json whose main names the module.
  const pluginFolder = join(project, 'plugins', 'first-unknown');
  mkdirSync(pluginFolder, { recursive: true });
  writeFileSync(join(pluginFolder, 'package.json'), JSON.stringify({ name: 'first-unknown', type: 'module', main: 'plugin.mjs', peerDependencies: { omnidecode: '*' } }));
  writeFileSync(join(pluginFolder, 'plugin.mjs'), PLUGIN);
}, 240_000);

afterAll(() => {
  if (project !== '') rmSync(dirname(project), { recursive: true, force: true });
});

describe('the package installed from its tarball', () => {
  it('ships built JavaScript and no TypeScript sources', () => {
    const installed = join(project, 'node_modules', 'omnidecode');
    expect(existsSync(join(installed, 'dist', 'src', 'index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist', 'src', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    expect(existsSync(join(installed, 'models', 'default', 'config.json'))).toBe(true);
  });

  it('runs the API from plain JavaScript and generates an image', () => {
    writeFileSync(join(project, 'generate.mjs'), `
      import { OmnidecodePipeline } from 'omnidecode/pipeline';
      import { createSchedulerContainer } from 'omnidecode';
      const { schedulers } = createSchedulerContainer();
      const pipeline = await OmnidecodePipeline.load();
      const run = await pipeline.textToImage(['a bag'], { seed: 3, scheduler: { name: 'maskgit', options: { steps: 4 } } });
      console.log(JSON.stringify({ schedulers: schedulers.names(), width: run.images[0].width, codes: Array.from(run.codes[0]).length }));
      await pipeline.dispose();
    `);
    const printed = JSON.parse(run('node', ['generate.mjs'], project).trim()) as { schedulers: string[]; width: number; codes: number };
    expect(printed.schedulers).toEqual(expect.arrayContaining(['maskgit', 'autoregressive']));
    expect(printed.width).toBeGreaterThan(0);
    expect(printed.codes).toBeGreaterThan(0);
  });

  it('runs `npx omnidecode generate` and writes a PNG', () => {
    run('npx', ['omnidecode', 'generate', 'an ankle boot', '-o', 'boot.png', '--steps', '4', '--seed', '2'], project);
    expect([...readFileSync(join(project, 'boot.png')).subarray(0, 4)]).toEqual(PNG_SIGNATURE);
  });

  it('loads a plain-JS plugin folder that imports omnidecode and decodes with its scheduler', () => {
    const printed = run('npx', ['omnidecode', 'schedulers', '--plugin', './plugins/first-unknown'], project);
    expect(printed).toMatch(/^first-unknown/m);
    run('npx', ['omnidecode', 'generate', 'a bag', '-o', 'bag.png', '--plugin', './plugins/first-unknown', '--scheduler', 'first-unknown', '--set', 'perStep=10'], project);
    expect([...readFileSync(join(project, 'bag.png')).subarray(0, 4)]).toEqual(PNG_SIGNATURE);
  });

  it('loads a plugin installed as a package in the project, by its package name', () => {
    const packageFolder = join(project, 'node_modules', 'omnidecode-plugin-first-unknown');
    mkdirSync(packageFolder, { recursive: true });
    writeFileSync(join(packageFolder, 'package.json'), JSON.stringify({ name: 'omnidecode-plugin-first-unknown', type: 'module', exports: './index.js', peerDependencies: { omnidecode: '*' } }));
    writeFileSync(join(packageFolder, 'index.js'), PLUGIN);
    const printed = run('npx', ['omnidecode', 'schedulers', '--plugin', 'omnidecode-plugin-first-unknown'], project);
    expect(printed).toMatch(/^first-unknown .* from omnidecode-plugin-first-unknown$/m);
  });

  it('loads the shipped plugins by name', () => {
    const printed = run('npx', ['omnidecode', 'schedulers', '--all'], project);
    expect(printed).toMatch(/^halton .* from halton \(shipped\)$/m);
    run('npx', ['omnidecode', 'generate', 'a coat', '-o', 'coat.png', '--plugin', 'halton', '--scheduler', 'halton', '--steps', '4'], project);
    expect(existsSync(join(project, 'coat.png'))).toBe(true);
  });
});
