import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModel } from './support/chat-cli.ts';

describe('a user turn longer than the chat layout\'s padded turn', () => {
  let pipeline: OmnidecodePipeline;
  beforeAll(async () => { pipeline = await loadChatModel(); });
  afterAll(async () => { await pipeline.dispose(); });

  it('is refused before decoding, naming the turn, its length and the limit', async () => {
    const length = pipeline.config.prompts.chat?.userTurnLength;
    expect(length).toBe(24);
    const words = Array.from({ length: 23 }, (_, i) => (i % 2 === 0 ? 'a' : 'bag')).join(' ');
    const error = await pipeline.chat(['draw a bag', words]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).what).toBe('turns[1]');
    expect((error as InputError).message).toContain('has 23 tokens; this model\'s chat turns hold at most 22');
  });

  it('pads a turn that fits to the trained length, so its answer starts at the same position', async () => {
    const short = await pipeline.chat('draw a bag', { seed: 1 });
    const long = await pipeline.chat('draw a small dark bag and tell me what it is', { seed: 1 });
    // <|lvg|> + 24 positions of user turn: every first answer starts at position 25.
    expect(short.turns[0]?.start).toBe(25);
    expect(long.turns[0]?.start).toBe(25);
    // "draw a bag": 19 pads, then <|bos|> draw a bag <|eos|>.
    expect(Array.from(short.tokens.slice(1, 20))).toEqual(new Array<number>(19).fill(pipeline.vocabulary.padTokenId));
    expect(short.tokens[20]).toBe(pipeline.vocabulary.bosTokenId);
  });
});
