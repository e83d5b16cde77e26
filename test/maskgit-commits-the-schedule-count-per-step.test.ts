import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

/**
 * Show-o's loop, written out independently: after step s (ratio r = (s+1)/T) keep
 * floor(base · schedule(r)) masked, clamped to [1, unknown − 1]; the last step commits the rest.
 * base is the full length ('full') or the initially unknown count ('unknown'). Show-o computes it
 * in float32 (torch.tensor(ratio)), so the schedules below round like float32 tensors and so
 * does the product: cosine at 3 steps keeps floor(16 · 0.49999997) = 7 after step 2, not 8.
 */
function expectedCommits(length: number, initiallyUnknown: number, steps: number, schedule: (t: number) => number, base: 'full' | 'unknown'): number[] {
  const counts: number[] = [];
  let unknown = initiallyUnknown;
  for (let s = 0; s < steps; s++) {
    let masked = 0;
    if (s < steps - 1 && unknown > 0) {
      const raw = Math.floor(Math.fround((base === 'full' ? length : initiallyUnknown) * schedule(Math.fround((s + 1) / steps))));
      masked = Math.max(1, Math.min(unknown - 1, raw));
    }
    counts.push(unknown - masked);
    unknown = masked;
  }
  return counts;
}

async function commitsPerStep(options: Record<string, unknown>, length: number, known: number[] | undefined, seed: number): Promise<StepEvent[]> {
  const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
  const events: StepEvent[] = [];
  await engine.generate(t2iRequest({ length, options, ...(known ? { known } : {}) }), { seed, onStep: (event) => events.push(event) });
  return events;
}

const f = Math.fround;
/** models/sampling.py's torch.cos(t * math.pi * 0.5) and 1 - t on a float32 t. */
const cosine = (t: number): number => f(Math.cos(f(f(t * f(Math.PI)) * 0.5)));
const linear = (t: number): number => f(1 - t);

describe('maskgit commits the schedule\'s count per step', () => {
  it('matches the hand-computed cosine counts for 16 tokens in 5 steps', () => {
    expect(expectedCommits(16, 16, 5, cosine, 'full')).toEqual([1, 3, 3, 5, 4]);
  });

  for (const [name, schedule] of [['cosine', cosine], ['linear', linear]] as const) {
    for (const steps of [1, 3, 5, 8, 20]) {
      it(`${name}, ${steps} steps, nothing known: counts follow the schedule and everything is filled at step T`, async () => {
        const events = await commitsPerStep({ steps, schedule: name }, 16, undefined, steps);
        expect(events.map((event) => event.step)).toEqual(Array.from({ length: steps }, (_, i) => i));
        expect(events.map((event) => event.committed[0]?.length)).toEqual(expectedCommits(16, 16, steps, schedule, 'full'));
        const last = events[events.length - 1];
        expect(Array.from(last?.canvas ?? []).filter((id) => id === T.mask)).toEqual([]);
      });
    }
  }

  // 6 of 16 known: the two counting conventions now differ.
  const known = [3, -1, -1, 7, -1, -1, -1, 0, -1, -1, 15, -1, -1, 2, -1, 9];

  it('maskCount full counts relative to the whole segment (Show-o, aMUSEd)', async () => {
    const events = await commitsPerStep({ steps: 4, maskCount: 'full' }, 16, known, 1);
    expect(expectedCommits(16, 10, 4, cosine, 'full')).toEqual([1, 1, 2, 6]);
    expect(events.map((event) => event.committed[0]?.length)).toEqual([1, 1, 2, 6]);
  });

  it('maskCount unknown counts relative to the initially unknown tokens (MaskGIT)', async () => {
    const events = await commitsPerStep({ steps: 4, maskCount: 'unknown' }, 16, known, 1);
    expect(expectedCommits(16, 10, 4, cosine, 'unknown')).toEqual([1, 2, 4, 3]);
    expect(events.map((event) => event.committed[0]?.length)).toEqual([1, 2, 4, 3]);
  });

  it('commits only previously unknown positions, each exactly once', async () => {
    const events = await commitsPerStep({ steps: 6, schedule: 'linear', maskCount: 'unknown' }, 16, known, 3);
    const committed = events.flatMap((event) => event.committed[0] ?? []).sort((a, b) => a - b);
    const unknownPositions = known.flatMap((value, position) => (value === -1 ? [position] : []));
    expect(committed).toEqual(unknownPositions);
  });
});
