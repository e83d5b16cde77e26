import { describe, expect, it } from 'vitest';
import { AbortError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { FakeTransformer, type ForwardRecord } from './support/fake-models.ts';
import { T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

interface Run { error: unknown; model: FakeTransformer; steps: number[] }

async function run(request: GenerationRequest, abortWhen: { step?: number; forward?: number; before?: boolean }, reason?: unknown): Promise<Run> {
  const controller = new AbortController();
  const model = new FakeTransformer({
    vocabSize: T.vocabSize, fill: () => {},
    onForward: (record: ForwardRecord) => { if (record.call === abortWhen.forward) controller.abort(reason); },
  });
  const { engine } = createEngine({ model, vocabulary: testVocabulary() });
  const steps: number[] = [];
  if (abortWhen.before) controller.abort(reason);
  const onStep = (event: StepEvent): void => {
    steps.push(event.step);
    if (event.step === abortWhen.step) controller.abort(reason);
  };
  const error = await engine.generate(request, { signal: controller.signal, onStep }).then(() => undefined, (caught: unknown) => caught);
  return { error, model, steps };
}

const MASKGIT = t2iRequest({ unconditional: true, options: { steps: 6, guidance: 1 } });
const TEXT = textRequest([3], 8, {}, { eos: false });

describe('aborting', () => {
  it('an already aborted signal rejects before any forward', async () => {
    const { error, model } = await run(MASKGIT, { before: true });
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).name).toBe('AbortError');
    expect(model.forwards).toHaveLength(0);
  });

  it('maskgit aborted after step 2: rejects with AbortError, no further forward, every cache disposed', async () => {
    const { error, model, steps } = await run(MASKGIT, { step: 2 });
    expect(error).toBeInstanceOf(AbortError);
    expect(steps).toEqual([0, 1, 2]);
    expect(model.forwards).toHaveLength(4);
    expect(model.caches).toHaveLength(4);
    expect(model.liveCaches()).toEqual([]);
  });

  it('maskgit aborted while a forward runs: that forward\'s cache is disposed too', async () => {
    const { error, model, steps } = await run(MASKGIT, { forward: 3 }, new Error('user pressed stop'));
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe('decoding aborted: user pressed stop');
    expect(steps).toEqual([0, 1]);
    expect(model.caches).toHaveLength(4);
    expect(model.liveCaches()).toEqual([]);
  });

  it('aborted during the prefix forward: its cache is disposed', async () => {
    const { error, model } = await run(MASKGIT, { forward: 0 });
    expect(error).toBeInstanceOf(AbortError);
    expect(model.caches).toHaveLength(1);
    expect(model.liveCaches()).toEqual([]);
  });

  it('autoregressive aborted mid-run: rejects, every cache (each step\'s present) disposed', async () => {
    for (const when of [{ step: 3 }, { forward: 2 }]) {
      const { error, model } = await run(TEXT, when);
      expect(error).toBeInstanceOf(AbortError);
      expect(model.caches.length).toBeGreaterThanOrEqual(3);
      expect(model.liveCaches()).toEqual([]);
    }
  });

  it('a run that completes disposes every cache as well', async () => {
    for (const request of [MASKGIT, TEXT]) {
      const { error, model } = await run(request, {});
      expect(error).toBeUndefined();
      expect(model.caches.length).toBeGreaterThan(1);
      expect(model.liveCaches()).toEqual([]);
      // Each disposed once: the engine never disposes a cache it already handed back.
      expect(model.caches.map((cache) => cache.disposals)).toEqual(model.caches.map(() => 1));
    }
  });
});
