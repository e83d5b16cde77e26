import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModel } from './support/chat-cli.ts';

describe('a chat with a seed', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await loadChatModel(); });
  afterAll(async () => { await pipeline.dispose(); });

  it('gives byte-identical tokens every time, and other tokens for another seed', async () => {
    const turns = ['draw a sneaker then a bag', 'now flip it'];
    // Sampled words too, so the seed fixes the text draws as well as the images'.
    const options = { textScheduler: { options: { sampler: { draw: 'categorical' } } } };
    const first = await pipeline.chat(turns, { ...options, seed: 21 });
    const again = await pipeline.chat(turns, { ...options, seed: 21 });
    const other = await pipeline.chat(turns, { ...options, seed: 22 });
    expect(Buffer.from(again.tokens.buffer)).toEqual(Buffer.from(first.tokens.buffer));
    expect(again.turns.map((turn) => Array.from(turn.tokens))).toEqual(first.turns.map((turn) => Array.from(turn.tokens)));
    expect(first.turns.some((turn) => turn.parts.some((part) => part.kind === 'image'))).toBe(true);
    expect(Array.from(other.tokens)).not.toEqual(Array.from(first.tokens));
  });
});
