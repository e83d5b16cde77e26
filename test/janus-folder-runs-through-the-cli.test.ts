import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { JanusPipeline } from '../src/pipeline/janus/janus-pipeline.ts';
import { SMALL_JANUS_SPEC, writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import { encodePng, readPng, type GrayImage } from '../src/tokenizers/png-image.ts';
import { inProcessCli as cli } from './support/in-process-cli.ts';

/**
 * `omnidecode generate|describe|complete --model JANUS_DIR` on a synthetic Janus-layout folder: the
 * folder kind is read from its config.json, prompts come from its own templates, and each command
 * gives what the API (JanusPipeline) gives for the same seed: the image's pixels, the answer's text,
 * the completion's ids. Any scheduler may decode the image; tasks Janus cannot do are refused.
 */
const SIDE = SMALL_JANUS_SPEC.generationGrid * SMALL_JANUS_SPEC.patchSize;

describe('a Janus folder through the CLI', () => {
  let root: string;
  let folder: string;
  let api: JanusPipeline;
  const colour: GrayImage = { width: 384, height: 384, channels: 3, pixels: Float32Array.from({ length: 384 * 384 * 3 }, (_, i) => ((i * 7) % 256) / 255) };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-cli-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder);
    writeFileSync(join(root, 'colour.png'), encodePng(colour));
    writeFileSync(join(root, 'gray.png'), encodePng({ width: 384, height: 384, pixels: new Float32Array(384 * 384).fill(0.5) }));
    api = await JanusPipeline.load({ model: folder });
  });
  afterAll(async () => {
    await api.dispose();
    rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => { vi.restoreAllMocks(); });

  it('generate: a PNG of the decoder\'s size, the pixels of the API\'s image for the seed', async () => {
    const out = join(root, 'ar.png');
    const run = await cli(['generate', 'w5 w9', '--model', folder, '-o', out, '--scale', '1', '--seed', '3']);
    expect(run.stderr).toMatch(/wrote .*ar\.png \(1 image\(s\), autoregressive/u);
    expect(run.code).toBe(0);
    const png = await readPng(out, { channels: 3 });
    expect([png.width, png.height]).toEqual([SIDE, SIDE]);
    const [image] = (await api.generateImage('w5 w9', { seed: 3 })).images;
    expect(Array.from(png.pixels, (v) => Math.round(v * 255))).toEqual(Array.from(image?.rgb ?? []));
  });

  it('generate: any scheduler decodes the AR-trained model, --scale applies', async () => {
    const out = join(root, 'maskgit.png');
    const run = await cli(['generate', 'w5 w9', '--model', folder, '-o', out, '--scheduler', 'maskgit', '--steps', '4', '--scale', '2']);
    expect(run.code).toBe(0);
    const png = await readPng(out, { channels: 3 });
    expect([png.width, png.height]).toEqual([2 * SIDE, 2 * SIDE]);
  });

  it('describe: the API\'s answer; a gray PNG is converted with a notice', async () => {
    const expected = await api.describe(colour, 'w5 w9', { maxTokens: 6, options: { sampler: { draw: 'greedy' } } });
    const run = await cli(['describe', join(root, 'colour.png'), '--model', folder, '--question', 'w5 w9', '--max-tokens', '6']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${expected.text}\n`);
    const gray = await cli(['describe', join(root, 'gray.png'), '--model', folder, '--max-tokens', '4']);
    expect(gray.code).toBe(0);
    expect(gray.stderr).toContain('gray.png: image has 1 channel (gray); the model reads RGB (3 channels): converted, the gray level in r, g and b');
  });

  it('complete: the API\'s ids and text', async () => {
    const expected = await api.complete('w5 w9', { maxTokens: 6, options: { sampler: { draw: 'greedy' } } });
    const run = await cli(['complete', '--model', folder, 'w5 w9', '--max-tokens', '6', '--json']);
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { promptIds: number[]; ids: number[]; text: string };
    expect(printed.promptIds).toEqual(expected.promptIds);
    expect(printed.ids).toEqual(expected.ids);
    expect(printed.text).toBe(expected.text);
  });

  it('edit on a Janus folder is refused, naming what it runs, and writes nothing', async () => {
    const out = join(root, 'edit.png');
    const run = await cli(['edit', join(root, 'colour.png'), 'make it darker', '--model', folder, '-o', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is a Janus-layout folder: it runs generate \(text-to-image\), describe and complete; edit needs/u);
    expect(existsSync(out)).toBe(false);
  });
});
