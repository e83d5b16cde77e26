import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PluginError, createEngine, createSchedulerContainer, loadPluginsOrThrow } from 'omnidecode';
import { imageRequest, pluginVocabulary, targetImageModel } from './support/plugin-fakes.ts';

const folder = mkdtempSync(join(tmpdir(), 'omnidecode-failing-step-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Fails in step 1 (after one good step) or in begin, as its `failIn` option says. A plain object schema keeps it import-free. */
const SOURCE = `
class Fragile {
  mode = 'block';
  guidance = null;
  constructor(options) { this.options = options; }
  plannedSteps() { return 3; }
  begin(context) {
    if (this.options.failIn === 'begin') throw new RangeError('grid too small');
    this.context = context;
    this.commits = { count: 0 }; // an empty commit list: step 0 decides nothing
  }
  step(logits, info) {
    if (info.index === 1) this.context.canvas.missing.length; // TypeError: reading 'length' of undefined
    return { commits: this.commits, preview: null, done: false };
  }
}
export const schedulers = [{
  name: 'fragile', description: 'Throws on purpose.', modalities: ['image'], scheduler: Fragile,
  parameters: { shape: {}, parse: (raw) => ({ failIn: raw?.failIn ?? 'step' }), describe: () => [] },
}];
`;

async function failure(failIn: string): Promise<{ error: PluginError; file: string }> {
  const file = join(folder, 'fragile.mjs');
  writeFileSync(file, SOURCE);
  const { container } = createSchedulerContainer();
  await loadPluginsOrThrow([file], container);
  const { engine } = createEngine({ model: targetImageModel([0]), vocabulary: pluginVocabulary(), container });
  const error = await engine.generate(imageRequest({ scheduler: 'fragile', options: { failIn } })).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(PluginError);
  return { error: error as PluginError, file };
}

describe('a plugin scheduler failing during decoding is named in the rejection', () => {
  it('an error thrown in step names the scheduler, the step, the plugin file, and keeps the original as cause', async () => {
    const { error, file } = await failure('step');
    expect(error.plugin).toBe(file);
    expect(error.message).toBe(`plugin ${file}: scheduler "fragile" failed in step 1 of segment 1: ${(error.cause as Error).message}`);
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as Error).message).toContain("'length'");
  });

  it('an error thrown in begin is named the same way', async () => {
    const { error, file } = await failure('begin');
    expect(error.message).toBe(`plugin ${file}: scheduler "fragile" failed in begin of segment 1: grid too small`);
    expect(error.cause).toBeInstanceOf(RangeError);
  });
});
