import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codes, decode, imageRequest, pluginPath, segmentTokens, targetImageModel, withPlugins } from './support/plugin-fakes.ts';

describe('the docs plugin example decodes', () => {
  it('docs/plugins.md quotes plugins/example-every-other/index.ts verbatim', () => {
    const source = readFileSync(`${pluginPath('example-every-other')}/index.ts`, 'utf8');
    const doc = readFileSync(new URL('../docs/plugins.md', import.meta.url), 'utf8');
    expect(doc).toContain(`\`\`\`ts\n${source}\`\`\``);
  });

  it('every-other commits the even positions, then the odd ones, each with its argmax', async () => {
    const parts = await withPlugins('example-every-other');
    const target = [7, 3, 11, 0, 5, 9, 14, 2, 6];
    const { result, events } = await decode(parts, targetImageModel(target), imageRequest({ scheduler: 'every-other' }));
    expect(events.map((event) => event.committed[0])).toEqual([[0, 2, 4, 6, 8], [1, 3, 5, 7]]);
    expect(codes(segmentTokens(result))).toEqual(target);
  });

  it('stride 3 takes three steps and keeps known tokens', async () => {
    const parts = await withPlugins('example-every-other');
    const target = [7, 3, 11, 0, 5, 9, 14, 2, 6];
    const known = [-1, -1, -1, 12, -1, -1, -1, -1, -1];
    const { result, events } = await decode(parts, targetImageModel(target), imageRequest({ scheduler: 'every-other', known, options: { stride: 3 } }));
    expect(events.map((event) => event.committed[0])).toEqual([[0, 6], [1, 4, 7], [2, 5, 8]]);
    expect(codes(segmentTokens(result))).toEqual([7, 3, 11, 12, 5, 9, 14, 2, 6]);
  });
});
