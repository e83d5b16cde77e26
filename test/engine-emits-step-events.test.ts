import { describe, expect, it } from 'vitest';
import type { GenerationResult } from '../src/core/generation-result.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { knownImageModel, scriptedTextModel } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

const TARGET = [4, 11, 0, 15, 7, 7, 2, 9, 13];

function imageEngine() {
  const model = knownImageModel({ vocabSize: T.vocabSize, imageStart: PROMPT_LENGTH + 1, imageOffset: T.imageOffset, target: TARGET, strength: (p) => 2 + p / 2 });
  return createEngine({ model, vocabulary: testVocabulary() }).engine;
}

const REQUEST = t2iRequest({ options: { steps: 3, choiceTemperature: 0, sampler: { draw: 'greedy' } } });

describe('step events', () => {
  it('maskgit: one event per step with its index, committed positions, canvas and forwards so far', async () => {
    const events: StepEvent[] = [];
    await imageEngine().generate(REQUEST, { onStep: (event) => events.push(event) });
    const id = (p: number): number => T.imageOffset + (TARGET[p] as number);
    const canvasAfter = (committed: number[]): number[] => TARGET.map((_, p) => (committed.includes(p) ? id(p) : T.mask));
    expect(events.map((event) => ({
      type: event.type, segment: event.segment, scheduler: event.scheduler, step: event.step, plannedSteps: event.plannedSteps,
      rows: event.rows, length: event.length, forwardPasses: event.forwardPasses,
      committed: event.committed.map((positions) => [...positions].sort((a, b) => a - b)), canvas: Array.from(event.canvas),
    }))).toEqual([
      { type: 'step', segment: 1, scheduler: 'maskgit', step: 0, plannedSteps: 3, rows: 1, length: 9, forwardPasses: 2, committed: [[7, 8]], canvas: canvasAfter([7, 8]) },
      { type: 'step', segment: 1, scheduler: 'maskgit', step: 1, plannedSteps: 3, rows: 1, length: 9, forwardPasses: 3, committed: [[4, 5, 6]], canvas: canvasAfter([4, 5, 6, 7, 8]) },
      { type: 'step', segment: 1, scheduler: 'maskgit', step: 2, plannedSteps: 3, rows: 1, length: 9, forwardPasses: 4, committed: [[0, 1, 2, 3]], canvas: canvasAfter([0, 1, 2, 3, 4, 5, 6, 7, 8]) },
    ]);
  });

  it('events carry copies: later steps do not change an earlier event', async () => {
    const events: StepEvent[] = [];
    await imageEngine().generate(REQUEST, { onStep: (event) => events.push(event) });
    expect(Array.from(events[0]?.canvas ?? []).filter((id) => id !== T.mask)).toHaveLength(2);
  });

  it('autoregressive: one event per generated token, forwards counting the prefill', async () => {
    const model = scriptedTextModel(T.vocabSize, 3, [5, 6, 7], T.eos);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const events: StepEvent[] = [];
    await engine.generate(textRequest([3, 4], 6), { onStep: (event) => events.push(event) });
    expect(events.map((event) => [event.step, event.committed[0], event.forwardPasses, event.plannedSteps])).toEqual([
      [0, [0], 1, 6], [1, [1], 2, 6], [2, [2], 3, 6], [3, [3], 4, 6],
    ]);
  });

  it('engine.stream() yields the step events, then the result', async () => {
    const items: (StepEvent | { type: 'result'; result: GenerationResult })[] = [];
    const seen: number[] = [];
    for await (const item of imageEngine().stream(REQUEST, { onStep: (event) => seen.push(event.step) })) items.push(item);
    expect(items.map((item) => item.type)).toEqual(['step', 'step', 'step', 'result']);
    expect(items.slice(0, 3).map((item) => (item.type === 'step' ? item.step : -1))).toEqual([0, 1, 2]);
    // The caller's own onStep still runs.
    expect(seen).toEqual([0, 1, 2]);
    const last = items[3];
    const direct = await imageEngine().generate(REQUEST);
    expect(last?.type === 'result' ? Array.from(last.result.rows[0]?.tokens ?? []) : []).toEqual(Array.from(direct.rows[0]?.tokens ?? []));
    expect(last?.type === 'result' ? last.result.stats.forwardPasses : -1).toBe(4);
  });

  it('engine.stream() rethrows a failure after the events before it', async () => {
    const { engine } = createEngine({ model: knownImageModel({ vocabSize: T.vocabSize, imageStart: 7, imageOffset: T.imageOffset, target: TARGET }), vocabulary: testVocabulary() });
    const controller = new AbortController();
    const steps: number[] = [];
    const consume = async (): Promise<void> => {
      // Aborted synchronously from onStep after step 1: the engine stops before step 2's forward.
      const options = { signal: controller.signal, onStep: (event: StepEvent) => { if (event.step === 1) controller.abort(); } };
      for await (const item of engine.stream(t2iRequest({ options: { steps: 4 } }), options)) {
        if (item.type === 'step') steps.push(item.step);
      }
    };
    await expect(consume()).rejects.toThrow('decoding aborted');
    expect(steps).toEqual([0, 1]);
  });
});
