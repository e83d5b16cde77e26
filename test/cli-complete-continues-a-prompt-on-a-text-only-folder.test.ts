import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeHuggingFaceDecoder } from '../src/synthetic/synthetic-decoder.ts';
import { startCli } from './support/cli-process.ts';
import { BOS, EOS, transformersJsGreedy } from './support/greedy-peers.ts';

/**
 * `omnidecode complete --model DIR "prompt"` on a text-only folder — a standard export with
 * num_logits_to_keep, use_cache_branch and an fp16 cache, its tokenizer.json, no image vocabulary —
 * prints the greedy continuation: the ids transformers.js generates on the same folder, as words.
 */

describe('omnidecode complete', () => {
  let root: string;
  const folder = (): string => join(root, 'text-model');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-complete-'));
    writeHuggingFaceDecoder({
      vocabSize: 64, hiddenSize: 32, numLayers: 2, numHeads: 4, maxPositions: 48, seed: 3, maskStyle: 'standard-2d', weightScale: 0.5,
      logitsToKeepInput: true, useCacheBranchInput: true, pastType: 'float16', logitsType: 'float16',
    }, folder(), { bosTokenId: BOS, eosTokenId: EOS, tokenizer: true });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints the continuation transformers.js generates, as ids and as text', async () => {
    const { code, stdout, stderr } = await startCli(['complete', '--model', folder(), 'w5 w9 w13 w22 w40', '--max-tokens', '16', '--json'], root).done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { promptIds: number[]; ids: number[]; text: string; stop: string };
    expect(printed.promptIds).toEqual([BOS, 5, 9, 13, 22, 40]);
    expect(printed.ids).toEqual(await transformersJsGreedy(folder(), printed.promptIds, 16));
    expect(printed.text).toBe(printed.ids.filter((id) => id !== EOS).map((id) => `w${id}`).join(' '));
    expect(printed.stop).toBe(printed.ids.includes(EOS) ? 'eos' : 'max tokens');

    const plain = await startCli(['complete', '--model', folder(), 'w5 w9 w13 w22 w40', '--max-tokens', '16'], root).done;
    expect(plain.stdout).toBe(`${printed.text}\n`);
  });

  it('refuses a unified model folder and too many tokens, naming what it takes', async () => {
    const unified = await startCli(['complete', '--model', join(process.cwd(), 'models', 'default'), 'what is this ?'], root).done;
    expect(unified.code).toBe(1);
    expect(unified.stderr).toContain('complete takes a text-only model folder');
    const long = await startCli(['complete', '--model', folder(), 'w5', '--max-tokens', '100'], root).done;
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('maxTokens');
    expect(long.stderr).toContain('48 positions');
  });
});
