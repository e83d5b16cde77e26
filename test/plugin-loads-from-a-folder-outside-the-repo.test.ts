import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createSchedulerContainer, loadPlugins } from 'omnidecode';
import { leftToRightPluginSource } from './support/plain-js-plugin.ts';
import { P, codes, imageRequest, pluginVocabulary, segmentTokens, targetImageModel } from './support/plugin-fakes.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const PLUGIN_SOURCE = leftToRightPluginSource('left-to-right', 1);

const folder = mkdtempSync(join(tmpdir(), 'omnidecode-plugin-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('a plugin loads from a folder outside the repo', () => {
  it('registers its scheduler from a plain .mjs file and decodes by its rule', async () => {
    expect(folder.startsWith(repoRoot)).toBe(false);
    // `import 'omnidecode'` resolves the way it would for an installed package.
    mkdirSync(join(folder, 'node_modules'));
    symlinkSync(repoRoot, join(folder, 'node_modules', 'omnidecode'), 'dir');
    const file = join(folder, 'left-to-right.mjs');
    writeFileSync(file, PLUGIN_SOURCE);

    const { container, schedulers } = createSchedulerContainer();
    const results = await loadPlugins([file], container);
    expect(results).toEqual([{ ok: true, plugin: file, schedulers: ['left-to-right'], logitsProcessors: [], stepHooks: [] }]);
    expect(schedulers.get('left-to-right').source).toBe(file);

    const target = [7, 3, 11, 0, 5, 9, 14, 2, 6];
    const { engine } = createEngine({ model: targetImageModel(target), vocabulary: pluginVocabulary(), container });
    const committed: (readonly number[] | undefined)[] = [];
    const result = await engine.generate(imageRequest({ scheduler: 'left-to-right', options: { perStep: 4 } }), {
      onStep: (event) => committed.push(event.committed[0]),
    });
    expect(committed).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    expect(codes(segmentTokens(result))).toEqual(target);
    expect(result.rows[0]?.tokens.slice(0, 5)).toEqual(Int32Array.from([P.t2i, P.bos, P.word, P.eos, P.soi]));
  });
});
