import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import { loadChatModel, runChatCli } from './support/chat-cli.ts';

describe('a chat asking for more images than the model positions hold', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await loadChatModel(); });
  afterAll(async () => { await pipeline.dispose(); });

  it('is refused before decoding, saying how many fit after this context', async () => {
    const positions = pipeline.config.transformer.maxPositions;
    const image = pipeline.imageTokenizer.codesPerImage + 2;
    // <|lvg|>, the user turn (padded to the layout's length), then the answer's <|eos|>.
    const turn = pipeline.config.prompts.chat?.userTurnLength ?? 5;
    const fit = Math.floor((positions - turn - 2) / image);
    let forwards = 0;
    const onStep = (): void => { forwards += 1; };
    const error = await pipeline.chat('draw a bag', { maxImages: fit + 1, onStep }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(new RegExp(`^maxImages: got ${fit + 1}, expected at most ${fit}: at most ${fit} images fit in ${positions} positions after this context`));
    // A source image takes positions too (and the turn after it is padded to the layout's shorter length
    // when its words fit); two turns share what is left.
    const source = loadEvalSet(pipeline.folder).images[0];
    const afterImage = pipeline.config.prompts.chat?.imageTurnLength ?? turn;
    const fitWithSource = Math.floor((positions - afterImage - 2 - image) / image);
    const withSource = await pipeline.chat('draw a bag', { image: source, maxImages: fitWithSource + 1, onStep }).catch((caught: unknown) => caught);
    expect(withSource).toBeInstanceOf(InputError);
    expect((withSource as InputError).message).toContain(`at most ${fitWithSource} images fit`);
    const twoTurns = await pipeline.chat(['draw a bag', 'now flip it'], { maxImages: fit, onStep }).catch((caught: unknown) => caught);
    expect((twoTurns as InputError).message).toMatch(/images? per turn fit/);
    expect(forwards).toBe(0);
  });

  it('the CLI names --max-images and writes nothing', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'omni-chat-')), 'chat');
    const { code, stderr } = await runChatCli(['draw a bag', '--max-images', '64', '-o', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^omnidecode: --max-images \(maxImages\): got 64, expected at most \d+: at most \d+ images fit in \d+ positions after this context/);
    expect(existsSync(out)).toBe(false);
  });
});
