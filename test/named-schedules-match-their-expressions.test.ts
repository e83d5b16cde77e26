import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import { resolveMaskSchedule } from '../src/schedulers/mask-schedule.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

const PAIRS: [string, string, (t: number) => number][] = [
  ['cosine', 'cos(pi/2*t)', (t) => Math.cos((Math.PI / 2) * t)],
  ['linear', '1 - t', (t) => 1 - t],
  ['pow2', '1 - t^2', (t) => 1 - t * t],
  ['pow3', '1 - t^3', (t) => 1 - t * t * t],
];

describe('named schedules and their expressions', () => {
  for (const [name, expression, formula] of PAIRS) {
    it(`${name} equals "${expression}" and the textbook formula on [0, 1]`, () => {
      const named = resolveMaskSchedule(name);
      const compiled = resolveMaskSchedule(expression);
      for (let i = 0; i <= 200; i++) {
        const t = i / 200;
        expect(named(t)).toBeCloseTo(formula(t), 12);
        expect(compiled(t)).toBeCloseTo(formula(t), 12);
      }
      expect(named(0)).toBeCloseTo(1, 12);
      expect(named(1)).toBeCloseTo(0, 12);
    });

    it(`maskgit with schedule ${name} and with "${expression}" decodes the same tokens step by step`, async () => {
      const run = async (schedule: string): Promise<number[][]> => {
        const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
        const canvases: number[][] = [];
        await engine.generate(t2iRequest({ length: 16, options: { steps: 7, schedule } }), { seed: 9, onStep: (event) => canvases.push(Array.from(event.canvas)) });
        return canvases;
      };
      const a = await run(name);
      expect(a).toHaveLength(7);
      expect(await run(expression)).toEqual(a);
    });
  }

  it('different schedules do give different step counts (the comparison above can fail)', async () => {
    const counts = async (schedule: string): Promise<number[]> => {
      const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
      const out: number[] = [];
      await engine.generate(t2iRequest({ length: 16, options: { steps: 4, schedule } }), { onStep: (event) => out.push(event.committed[0]?.length ?? -1) });
      return out;
    };
    // cosine: keep 14, 11, 6 -> commit 2, 3, 5, 6; linear: keep 12, 8, 4 -> 4, 4, 4, 4.
    expect(await counts('cosine')).toEqual([2, 3, 5, 6]);
    expect(await counts('linear')).toEqual([4, 4, 4, 4]);
  });
});
