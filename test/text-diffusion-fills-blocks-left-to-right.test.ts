import { describe, expect, it } from 'vitest';
import type { StepEvent } from 'omnidecode';
import { P, TEXT_START, decode, segmentTokens, textRequest, LogitsModel, withPlugins } from './support/plugin-fakes.ts';

/**
 * Eight text positions, two blocks of four. Position i favours word WORDS[i] by logit STRENGTH[i]
 * over the other 19 text ids. Block 1 is far surer than block 0, so any scheduler ranking the
 * whole segment at once would start there; LLaDA's may not before block 0 is full.
 */
const WORDS = [3, 4, 5, 6, 7, 8, 9, 10];
const STRENGTH = [1, 5, 3, 8, 12, 11, 13, 10];
const model = (words: readonly number[] = WORDS) => new LogitsModel((query, out) => {
  const i = query.position - TEXT_START;
  const word = words[i];
  if (word !== undefined) out[word] = STRENGTH[i] as number;
});

/** Throws unless every committed position of block b + 1 comes after block b is full. */
function expectBlocksInOrder(events: readonly StepEvent[], blockLength: number): void {
  const known = new Set<number>();
  for (const event of events) {
    for (const position of event.committed[0] ?? []) {
      const block = Math.floor(position / blockLength);
      for (let earlier = 0; earlier < block * blockLength; earlier++) expect(known.has(earlier) || (event.committed[0] ?? []).includes(earlier)).toBe(true);
      known.add(position);
    }
  }
}

describe('text-diffusion fills blocks left to right', () => {
  it('one token per step: block 0 by confidence (3, 1, 2, 0), only then block 1 (6, 4, 5, 7)', async () => {
    const parts = await withPlugins('text-diffusion');
    const { result, events } = await decode(parts, model(), textRequest('text-diffusion', 8, { blockLength: 4 }));
    expect(events.map((event) => event.committed[0])).toEqual([[3], [1], [2], [0], [6], [4], [5], [7]]);
    expect(segmentTokens(result)).toEqual(WORDS);
  });

  it('steps 4 over two blocks: two steps per block, two tokens per step', async () => {
    const parts = await withPlugins('text-diffusion');
    const { events } = await decode(parts, model(), textRequest('text-diffusion', 8, { blockLength: 4, steps: 4 }));
    expect(events.map((event) => event.committed[0])).toEqual([[1, 3], [0, 2], [4, 6], [5, 7]]);
  });

  it('splits unevenly as LLaDA does: 3 steps over 2 blocks -> 2 + 1; 5 tokens in 2 steps -> 3 + 2, then 3 -> 2 + 1', async () => {
    const parts = await withPlugins('text-diffusion');
    const uneven = await decode(parts, model(), textRequest('text-diffusion', 8, { blockLength: 4, steps: 3 }));
    expect(uneven.events.map((event) => event.committed[0])).toEqual([[1, 3], [0, 2], [4, 5, 6, 7]]);
    const ragged = await decode(parts, model(), textRequest('text-diffusion', 8, { blockLength: 5, stepsPerBlock: 2 }));
    expect(ragged.events.map((event) => event.committed[0])).toEqual([[1, 3, 4], [0, 2], [5, 6], [7]]);
  });

  it('random remasking still never commits past the current block', async () => {
    const parts = await withPlugins('text-diffusion');
    for (let seed = 0; seed < 8; seed++) {
      const { result, events } = await decode(parts, model(), textRequest('text-diffusion', 8, { blockLength: 2, remasking: 'random', temperature: 1 }), seed);
      expect(events).toHaveLength(8);
      expectBlocksInOrder(events, 2);
      expect(segmentTokens(result)).toHaveLength(8);
    }
  });

  it('the engine stops a row at EOS once its prefix is known: the rest is padding and the blocks left cost no step', async () => {
    const parts = await withPlugins('text-diffusion');
    const withEos = [3, 4, P.eos, 6, 7, 8, 9, 10];
    const { result, events } = await decode(parts, model(withEos), textRequest('text-diffusion', 8, { blockLength: 4 }));
    // EOS (logit 3) is committed third (after positions 3 and 1); the row stops when position 0 completes its prefix.
    expect(events.map((event) => event.committed[0])).toEqual([[3], [1], [2], [0]]);
    expect(segmentTokens(result)).toEqual([3, 4, P.eos, 6, P.pad, P.pad, P.pad, P.pad]);
    expect(result.rows[0]?.segments[1]?.end).toBe(2);
    expect(result.stats.forwardPasses).toBe(1 + 4);
  });

  it('the segment\'s stop settings apply to it as to any text scheduler: eos off decodes past EOS, maxTokens ends the output', async () => {
    const parts = await withPlugins('text-diffusion');
    const withEos = [3, 4, P.eos, 6, 7, 8, 9, 10];
    const request = (stop: object) => ({
      segments: [{ type: 'tokens', ids: [P.bos, P.word] }, { type: 'generate', modality: 'text', scheduler: 'text-diffusion', length: 8, options: { blockLength: 4 }, stop }],
    }) as const;
    const throughEos = await decode(parts, model(withEos), request({ eos: false }));
    expect(segmentTokens(throughEos.result)).toEqual(withEos);
    expect(throughEos.result.rows[0]?.segments[1]?.end).toBe(8);
    const capped = await decode(parts, model(), request({ maxTokens: 4 }));
    expect(segmentTokens(capped.result)).toEqual([3, 4, 5, 6, P.pad, P.pad, P.pad, P.pad]);
    expect(capped.result.rows[0]?.segments[1]?.end).toBe(4);
  });
});
