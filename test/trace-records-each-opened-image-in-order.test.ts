import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../src/cli/trace-image.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';

const step = (segment: number, image: number | undefined, known: number): StepEvent => ({
  type: 'step', segment, scheduler: 'maskgit', step: 0, plannedSteps: 3, committed: [[]], rows: 1, length: T.gridTokens, forwardPasses: 1,
  canvas: Int32Array.from({ length: T.gridTokens }, (_, i) => (i < known ? T.imageOffset + 1 : T.mask)),
  preview: new Int32Array(T.gridTokens).fill(T.imageOffset + 2), ...(image !== undefined ? { image } : {}),
});

describe('the trace of a text stream', () => {
  it('records every step of every image the stream opened, and no text step', () => {
    const trace = new TraceRecorder('stream-images', testVocabulary());
    [step(1, undefined, 0), step(2, 0, 3), step(2, 0, 9), step(3, undefined, 0), step(4, 1, 5), step(4, 1, 9)].forEach(trace.onStep);
    expect(trace.steps).toBe(4);
    expect(trace.images).toBe(2);
  });

  it('a plain image segment is recorded by its index', () => {
    const trace = new TraceRecorder(1, testVocabulary());
    [step(1, undefined, 3), step(0, undefined, 0), step(1, undefined, 9)].forEach(trace.onStep);
    expect(trace.steps).toBe(2);
    expect(trace.images).toBe(1);
  });
});
