import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { SegmentCanvas } from '../src/core/scheduler.ts';
import type { StepEvent } from '../src/core/step-event.ts';
import { MaskCountPlan } from '../src/schedulers/mask-count-plan.ts';
import { knownImageModel } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

const f = Math.fround;
const TOKENS = 256;

/**
 * Show-o's t2i loop (models/modeling_showo.py with models/sampling.py's cosine_schedule), written
 * out independently, one Math.fround per float32 tensor operation:
 *   ratio = 1.0 * (step + 1) / timesteps                       a Python double
 *   mask_ratio = torch.cos(torch.tensor(ratio) * math.pi * 0.5)  float32
 *   mask_len = (num_vq_tokens * mask_ratio).floor()             float32 product
 *   mask_len = max(1, min(unknown - 1, mask_len))
 * The masked count after each step but the last (which commits the rest).
 */
function showOMaskedAfterEachStep(tokens: number, steps: number): number[] {
  const counts: number[] = [];
  let unknown = tokens;
  for (let step = 0; step < steps - 1; step++) {
    const ratio = f((step + 1) / steps);
    const maskRatio = f(Math.cos(f(f(ratio * f(Math.PI)) * 0.5)));
    unknown = Math.max(1, Math.min(unknown - 1, Math.floor(f(tokens * maskRatio))));
    counts.push(unknown);
  }
  return [...counts, 0];
}

/** The same loop in double precision: what the count used to be. */
function doubleMaskedAfterEachStep(tokens: number, steps: number): number[] {
  const counts: number[] = [];
  let unknown = tokens;
  for (let step = 0; step < steps - 1; step++) {
    unknown = Math.max(1, Math.min(unknown - 1, Math.floor(tokens * Math.cos((Math.PI / 2) * ((step + 1) / steps)))));
    counts.push(unknown);
  }
  return [...counts, 0];
}

function planCounts(steps: number): number[] {
  const plan = new MaskCountPlan(steps, 'cosine', 'full');
  const canvas: SegmentCanvas = {
    rows: 1, length: TOKENS, tokens: new Int32Array(TOKENS).fill(T.mask), known: new Uint8Array(TOKENS),
    preview: new Int32Array(TOKENS).fill(T.mask), finished: new Uint8Array(1), ends: new Int32Array([TOKENS]),
  };
  plan.begin(canvas);
  const counts: number[] = [];
  let unknown = TOKENS;
  for (let step = 0; step < steps; step++) {
    unknown = plan.maskedAfter(step, unknown, 0);
    counts.push(unknown);
  }
  return counts;
}

describe('the mask count is Show-o\'s, computed in float32', () => {
  it('cosine at t = 2/3 is 0.49999997 in float32 (0.5000000000000001 in double)', () => {
    expect(f(Math.cos(f(f(Math.PI / 2) * f(8 / 12))))).toBe(0.4999999701976776);
    expect(f(Math.cos(f(f(Math.PI / 2) * f(8 / 12)))).toPrecision(8)).toBe('0.49999997');
    expect(Math.cos((Math.PI / 2) * (8 / 12))).toBe(0.5000000000000001);
  });

  for (const [steps, twoThirds] of [[12, 7], [18, 11]] as const) {
    it(`T = ${steps} on ${TOKENS} tokens: every step's count is Show-o's, 127 after step ${twoThirds + 1} where double keeps 128`, () => {
      const expected = showOMaskedAfterEachStep(TOKENS, steps);
      expect(planCounts(steps)).toEqual(expected);
      // The case the issue names, hard-coded: ratio (s + 1) / T = 2/3.
      expect(expected[twoThirds]).toBe(127);
      expect(doubleMaskedAfterEachStep(TOKENS, steps)[twoThirds]).toBe(128);
      // Everywhere else float32 and double agree, so the change is exactly that step.
      const differing = expected.flatMap((count, step) => (count === doubleMaskedAfterEachStep(TOKENS, steps)[step] ? [] : [step]));
      expect(differing).toEqual([twoThirds]);
    });

    it(`T = ${steps} on ${TOKENS} tokens: maskgit commits the positions Show-o's code commits, step by step`, async () => {
      // Confidence rises with the position, so Show-o keeps the lowest mask_len positions masked:
      // after step s exactly positions [0, mask_len) are still masked.
      const imageStart = PROMPT_LENGTH + 1;
      const model = knownImageModel({
        vocabSize: T.vocabSize, imageStart, imageOffset: T.imageOffset, maxPositions: imageStart + TOKENS + 2,
        target: Array.from({ length: TOKENS }, (_, position) => position % T.codebook), strength: (position) => 1 + position / 64,
      });
      const { engine } = createEngine({ model, vocabulary: testVocabulary() });
      const events: StepEvent[] = [];
      await engine.generate(
        t2iRequest({ length: TOKENS, options: { steps, schedule: 'cosine', choiceTemperature: 0, sampler: { draw: 'greedy' } } }),
        { onStep: (event) => events.push(event) },
      );
      const masked = showOMaskedAfterEachStep(TOKENS, steps);
      const expected = masked.map((after, step) => {
        const before = step === 0 ? TOKENS : masked[step - 1] as number;
        return Array.from({ length: before - after }, (_, i) => after + i);
      });
      expect(events.map((event) => [...(event.committed[0] ?? [])].sort((a, b) => a - b))).toEqual(expected);
    });
  }
});
