import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, createSchedulerContainer, loadPlugins } from 'omnidecode';
import { P, codes, imageRequest, pluginVocabulary, segmentTokens, targetImageModel } from './support/plugin-fakes.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Plain JavaScript, no decorators, importing only the package: what a third party would ship. */
const PLUGIN_SOURCE = `
import { CommitList, defineParameters, defineScheduler, integerParameter } from 'omnidecode';

// Commits the \`perStep\` leftmost masked positions each step, each with its argmax token.
class LeftToRightScheduler {
  mode = 'block';
  guidance = null;
  constructor(options) { this.options = options; }
  plannedSteps(context) { return Math.ceil(context.canvas.length / this.options.perStep); }
  begin(context) {
    this.context = context;
    this.commits = new CommitList(context.canvas.rows * context.canvas.length);
  }
  step(logits, info) {
    const { canvas, candidates } = this.context;
    const commits = this.commits.clear();
    let left = 0;
    for (let row = 0; row < canvas.rows; row++) {
      let quota = this.options.perStep;
      for (let position = 0; position < canvas.length; position++) {
        if (canvas.known[row * canvas.length + position] === 1) continue;
        if (quota === 0) { left += 1; continue; }
        quota -= 1;
        const offset = logits.offset(row, position) + candidates.offset;
        let best = 0;
        for (let i = 1; i < candidates.count; i++) if (logits.data[offset + i] > logits.data[offset + best]) best = i;
        commits.push(row, position, candidates.offset + best);
      }
    }
    return { commits, preview: null, done: left === 0 };
  }
}

export function register(api) {
  api.registerScheduler(defineScheduler({
    name: 'left-to-right',
    description: 'Leftmost masked positions first, argmax.',
    modalities: ['image'],
    parameters: defineParameters({ perStep: integerParameter({ default: 1, min: 1, description: 'Positions per step.' }) }),
    scheduler: LeftToRightScheduler,
  }));
}
`;

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
