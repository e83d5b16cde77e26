import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';
import { IMAGE, isImageToken, scriptedStreamModel } from './support/stream-fakes.ts';

const W = (n: number): number => T.firstWord + n;
// Prompt: <|bos|> marker; the stream starts at position 2.
const request = (marker: number, budget: number, maxImages = 2, guidance = 0): GenerationRequest => ({
  segments: [
    { type: 'tokens', ids: [T.bos, marker] },
    {
      type: 'generate', modality: 'text', scheduler: 'autoregressive', length: budget, options: { sampler: { draw: 'greedy' } },
      images: { scheduler: 'maskgit', options: { steps: 3, guidance }, maxImages },
    },
  ],
});

describe('a text segment opens an image where the model draws <|soi|>', () => {
  it('text, then an image by maskgit after the cached stream, <|eoi|>, then text again, one KV cache throughout', async () => {
    const script = [W(2), W(3), T.soi, ...IMAGE, T.eoi, W(4), T.eos];
    const model = scriptedStreamModel(new Map([[W(0), script]]), 2, 1);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const events: StepEvent[] = [];
    const result = await engine.generate(request(W(0), 24), { seed: 3, onStep: (event) => events.push(event) });
    const row = result.rows[0];
    const segments = row?.segments ?? [];
    expect(segments.map((segment) => [segment.modality ?? 'given', segment.length, segment.end])).toEqual([
      ['given', 2, undefined], ['text', 3, 2], ['image', 9, 9], ['text', 24 - 3 - 9 - 1, 1],
    ]);
    const tokens = Array.from(row?.tokens ?? []);
    expect(tokens.slice(0, 5)).toEqual([T.bos, W(0), W(2), W(3), T.soi]);
    expect(tokens.slice(5, 14).every(isImageToken)).toBe(true);
    expect(tokens.slice(14, 17)).toEqual([T.eoi, W(4), T.eos]);
    // Every forward continues the cache (the fake refuses any other position); the prompt is fed once.
    expect(model.forwards.filter((forward) => forward.pastLength === 0)).toHaveLength(1);
    // prompt, w2, w3 fed one by one, <|soi|>, 3 maskgit steps, image + <|eoi|> in one forward, w4.
    expect(result.stats.forwardPasses).toBe(1 + 2 + 1 + 3 + 1 + 1);
    expect(model.liveCaches()).toHaveLength(0);
    // Step events name the image of the stream.
    expect(events.filter((event) => event.image === 0)).toHaveLength(3);
    // The image block is bidirectional: its first position sees its last while decoding.
    const block = model.forwards.find((forward) => forward.length === 9 && forward.pastLength === 5);
    expect(block?.attentionMask[0 * 14 + 13]).toBe(1);
  });

  it('rows diverge: each opens its image where its own script says, and matches decoding it alone', async () => {
    const scripts = new Map<number, readonly number[]>([
      [W(0), [W(2), T.soi, ...IMAGE, T.eoi, T.eos]],
      [W(1), [W(2), W(3), W(4), W(5), T.soi, ...IMAGE, T.eoi, W(6), T.eos]],
      [W(5), [W(6), W(7), T.eos]],
    ]);
    const markers = [W(0), W(1), W(5)];
    const ids = ['a', 'b', 'c'];
    const batch = markers.map((marker, i) => ({ ...request(marker, 20), id: ids[i] as string }));
    const { engine } = createEngine({ model: scriptedStreamModel(scripts, 2, 1), vocabulary: testVocabulary() });
    const together = await engine.generate(batch, { seed: 9 });
    for (const [i, single] of batch.entries()) {
      const alone = await createEngine({ model: scriptedStreamModel(scripts, 2, 1), vocabulary: testVocabulary() }).engine.generate(single, { seed: 9 });
      expect(Array.from(together.rows[i]?.tokens ?? [])).toEqual(Array.from(alone.rows[0]?.tokens ?? []));
    }
    const soiAt = together.rows.map((row) => Array.from(row.tokens).indexOf(T.soi));
    expect(soiAt).toEqual([3, 6, -1]);
    // The image codes come from each row's own random stream (the fake favours none): real codes, different per row.
    const codesOf = (row: number) => Array.from(together.rows[row]?.segments.find((segment) => segment.modality === 'image')?.tokens ?? []);
    expect(codesOf(0).every(isImageToken) && codesOf(1).every(isImageToken)).toBe(true);
    expect(codesOf(0)).not.toEqual(codesOf(1));
  });

  it('past maxImages <|soi|> is blocked; a row with no room for an image stops before it, nothing half-written', async () => {
    const twice = [W(2), T.soi, ...IMAGE, T.eoi, T.soi, ...IMAGE, T.eoi, T.eos];
    const { engine } = createEngine({ model: scriptedStreamModel(new Map([[W(0), twice]]), 2, 1), vocabulary: testVocabulary() });
    const limited = await engine.generate(request(W(0), 30, 1), { seed: 1 });
    const tokens = Array.from(limited.rows[0]?.tokens ?? []);
    expect(tokens.filter((id) => id === T.soi)).toHaveLength(1);
    expect(limited.rows[0]?.segments.filter((segment) => segment.modality === 'image')).toHaveLength(1);
    expect(limited.rows[0]?.limit).toBe('max images');

    const cramped = await engine.generate(request(W(0), 8), { seed: 1 });
    const row = cramped.rows[0];
    expect(row?.limit).toBe('max tokens');
    expect(Array.from(row?.tokens ?? [])).toEqual([T.bos, W(0), W(2), T.pad]);
    expect(row?.segments.some((segment) => segment.modality === 'image')).toBe(false);
  });

  it('guided images: an unconditional twin row that sees padding where the text is, in the same forwards', async () => {
    const script = [W(2), T.soi, ...IMAGE, T.eoi, T.eos];
    const model = scriptedStreamModel(new Map([[W(0), script]]), 2, 1);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const result = await engine.generate(request(W(0), 16, 1, 2), { seed: 2 });
    expect(result.rows[0]?.segments.map((segment) => segment.modality ?? 'given')).toEqual(['given', 'text', 'image', 'text']);
    expect(model.forwards.every((forward) => forward.batch === 2)).toBe(true);
    // The twin's copy of the generated text word is padding.
    const wordForward = model.forwards[1];
    expect(Array.from(wordForward?.inputIds ?? [])).toEqual([W(2), T.pad]);
  });

  it('a block-mode text scheduler cannot open images: named, with the valid kind', async () => {
    const { engine } = createEngine({ model: scriptedStreamModel(new Map(), 2, 1), vocabulary: testVocabulary() });
    const bad: GenerationRequest = {
      segments: [{ type: 'tokens', ids: [T.bos, W(0)] }, { type: 'generate', modality: 'text', scheduler: 'maskgit', length: 12, images: { scheduler: 'maskgit', maxImages: 1 } }],
    };
    await expect(engine.generate(bad)).rejects.toThrow('a left-to-right (append) text scheduler');
  });
});

describe('an image-opening segment names a scheduler that cannot draw images', () => {
  it('is refused naming the scheduler and the image schedulers', async () => {
    const { engine, schedulers } = createEngine({ model: scriptedStreamModel(new Map(), 2, 1), vocabulary: testVocabulary() });
    schedulers.register({ ...schedulers.get('autoregressive'), name: 'text-only', modalities: ['text'] });
    const bad: GenerationRequest = {
      segments: [{ type: 'tokens', ids: [T.bos, W(0)] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 12, images: { scheduler: 'text-only', maxImages: 1 } }],
    };
    await expect(engine.generate(bad)).rejects.toThrow('scheduler "text-only" cannot decode image segments; schedulers for image: autoregressive, maskgit');
  });
});

describe('streams with the rest of the engine', () => {
  it('an autoregressive image scheduler decodes the image causally inside the stream', async () => {
    const script = [W(2), T.soi, ...IMAGE, T.eoi, W(3), T.eos];
    const model = scriptedStreamModel(new Map([[W(0), script]]), 2, 1);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const ar: GenerationRequest = {
      segments: [{ type: 'tokens', ids: [T.bos, W(0)] }, {
        type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 20, options: { sampler: { draw: 'greedy' } },
        images: { scheduler: 'autoregressive', maxImages: 1 },
      }],
    };
    const result = await engine.generate(ar, { seed: 5 });
    const tokens = Array.from(result.rows[0]?.tokens ?? []);
    expect(tokens.slice(0, 4)).toEqual([T.bos, W(0), W(2), T.soi]);
    expect(tokens.slice(4, 13).every(isImageToken)).toBe(true);
    expect(tokens.slice(13, 16)).toEqual([T.eoi, W(3), T.eos]);
    expect(model.forwards.filter((forward) => forward.pastLength === 0)).toHaveLength(1);
  });

  it('a batch mixing a stream with a fixed-layout request decodes both; events name their batch rows and count forwards over the call', async () => {
    const script = [W(2), T.soi, ...IMAGE, T.eoi, T.eos];
    const model = scriptedStreamModel(new Map([[W(0), script], [W(1), [W(4), T.eos]]]), 2, 1);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const plain: GenerationRequest = {
      segments: [{ type: 'tokens', ids: [T.bos, W(1)] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 4, options: { sampler: { draw: 'greedy' } } }],
    };
    const events: StepEvent[] = [];
    const result = await engine.generate([request(W(0), 16, 1), plain], { seed: 2, onStep: (event) => events.push(event) });
    expect(result.rows[0]?.segments.some((segment) => segment.modality === 'image')).toBe(true);
    expect(Array.from(result.rows[1]?.tokens ?? []).slice(0, 4)).toEqual([T.bos, W(1), W(4), T.eos]);
    expect(new Set(events.map((event) => event.batchRows?.join(',')))).toEqual(new Set(['0', '1']));
    const forwards = events.map((event) => event.forwardPasses);
    expect(forwards).toEqual([...forwards].sort((a, b) => a - b));
    expect(forwards.at(-1)).toBe(result.stats.forwardPasses);
  });

  it.each([
    ['guidance on the stream\'s text', { options: { guidance: 2 } }, 'segments[1].options.guidance'],
    ['given tokens in the stream', { known: new Array<number>(12).fill(-1) }, 'segments[1].known'],
    ['a max-token stop (the length bounds the stream)', { stop: { maxTokens: 4 } }, 'segments[1].stop'],
  ])('refuses %s, naming the field', async (_name, extra, field) => {
    const { engine } = createEngine({ model: scriptedStreamModel(new Map(), 2, 1), vocabulary: testVocabulary() });
    const bad: GenerationRequest = {
      segments: [{ type: 'tokens', ids: [T.bos, W(0)] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 12, images: { scheduler: 'maskgit', maxImages: 1 }, ...extra }],
    };
    await expect(engine.generate(bad)).rejects.toThrow(field);
  });

  it('refuses a generated segment before the stream and a caller-made twin', async () => {
    const { engine } = createEngine({ model: scriptedStreamModel(new Map(), 2, 1), vocabulary: testVocabulary() });
    const stream = { type: 'generate' as const, modality: 'text' as const, scheduler: 'autoregressive', length: 12, images: { scheduler: 'maskgit', maxImages: 1 } };
    await expect(engine.generate({ segments: [{ type: 'tokens', ids: [T.bos] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 2 }, stream] }))
      .rejects.toThrow('requests[0].segments[1]: got "a text segment to generate"');
    await expect(engine.generate({ segments: [{ type: 'tokens', ids: [T.bos] }, stream], unconditional: [{ type: 'tokens', ids: [T.pad] }, stream] }))
      .rejects.toThrow('requests[0].unconditional');
  });
});
