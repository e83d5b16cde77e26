import { describe, expect, it } from 'vitest';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { guidanceModel, type FakeTransformer } from './support/fake-models.ts';
import { withPlugins } from './support/plugin-fakes.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

// The conditional prompt holds word 3; the unconditional (empty) prompt does not.
const MARKER = 3;
// Over 4 columns from the candidates' start: cond prefers column 0 a little; uncond strongly dislikes column 1.
const COND = [2, 1.5, 0, 0];
const UNCOND = [2, 0, 0, 0];
// Show-o form: column 0 stays 2, column 1 becomes 1.5 + 1.5 w, so column 1 wins once w > 1/3.
// Standard form: column 1 becomes 1.5 w, so it wins once w > 4/3.

function imageModel(): FakeTransformer {
  return guidanceModel({ vocabSize: T.vocabSize, marker: MARKER, offset: T.imageOffset, cond: COND, uncond: UNCOND });
}

function textModel(): FakeTransformer {
  // Text candidates start at id 0: prefer word 5 (cond) and word 6 (after guidance).
  return guidanceModel({ vocabSize: T.vocabSize, marker: MARKER, offset: 5, cond: [2, 1.5], uncond: [2, 0] });
}

function imageRequest(guidance: number, guidanceForm: string): GenerationRequest {
  return t2iRequest({ words: [MARKER], unconditional: true, options: { steps: 1, guidance, guidanceForm, sampler: { draw: 'greedy' } } });
}

function textRequestWithUncond(guidance: number, guidanceForm: string): GenerationRequest {
  const generate = { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 3, options: { guidance, guidanceForm, sampler: { draw: 'greedy' } } } as const;
  return {
    segments: [{ type: 'tokens', ids: [T.bos, MARKER] }, generate],
    unconditional: [{ type: 'tokens', ids: [T.bos, T.unk] }, generate],
  };
}

describe('classifier-free guidance through the scheduler wiring', () => {
  const cases: [string, number, number][] = [
    // form, w, expected winning column
    ['show-o', 0.2, 0], ['show-o', 0.5, 1], ['show-o', 2, 1],
    ['standard', 1.2, 0], ['standard', 1.5, 1], ['standard', 3, 1],
  ];

  for (const [form, w, column] of cases) {
    it(`maskgit, ${form} form, w = ${w}: greedy picks column ${column}`, async () => {
      const model = imageModel();
      const { engine } = createEngine({ model, vocabulary: testVocabulary() });
      const result = await engine.generate(imageRequest(w, form));
      expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(new Array(T.gridTokens).fill(T.imageOffset + column));
      // The conditional slice of the block forward now holds the guided logits.
      const gain = form === 'show-o' ? w : w - 1;
      const logits = model.outputs[1] as Float32Array;
      const combined = Array.from(logits.subarray(T.imageOffset, T.imageOffset + 4));
      const expected = COND.map((c, i) => c + gain * (c - (UNCOND[i] as number)));
      combined.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
    });

    it(`autoregressive, ${form} form, w = ${w}: greedy picks word ${5 + column}`, async () => {
      const { engine } = createEngine({ model: textModel(), vocabulary: testVocabulary() });
      const result = await engine.generate(textRequestWithUncond(w, form));
      expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual([5 + column, 5 + column, 5 + column]);
    });
  }

  it('without guidance the conditional logits decide alone', async () => {
    const { engine } = createEngine({ model: imageModel(), vocabulary: testVocabulary() });
    const result = await engine.generate(imageRequest(0, 'show-o'));
    expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(new Array(T.gridTokens).fill(T.imageOffset));
  });

  it('show-o w equals standard w + 1', async () => {
    for (const w of [0.25, 0.4, 1]) {
      const a = await createEngine({ model: imageModel(), vocabulary: testVocabulary() }).engine.generate(imageRequest(w, 'show-o'));
      const b = await createEngine({ model: imageModel(), vocabulary: testVocabulary() }).engine.generate(imageRequest(w + 1, 'standard'));
      expect(Array.from(a.rows[0]?.tokens ?? [])).toEqual(Array.from(b.rows[0]?.tokens ?? []));
    }
  });
});

describe('the engine applies guidance once per step, for every scheduler', () => {
  // Show-o form, w = 2: column 1 becomes 1.5 + 2·(1.5 − 0) = 4.5 and beats column 0 (2).
  const RAW_COND = [2, 1.5, 0, 0];
  const GUIDED = [2, 4.5, 0, 0];
  const cases: [string, Record<string, unknown>][] = [
    ['maskgit', { steps: 3, sampler: { draw: 'greedy' } }],
    ['autoregressive', { sampler: { draw: 'greedy' } }],
    ['halton', { steps: 3, sampler: { draw: 'greedy' } }],
    ['threshold', {}],
    ['margin', { steps: 3 }],
    ['entropy', { steps: 3 }],
    ['text-diffusion', { blockLength: 3 }],
  ];

  for (const [scheduler, options] of cases) {
    it(`${scheduler}: one forward of the cond + uncond rows per step, guided once at each position the step reads`, async () => {
      const parts = await withPlugins('halton', 'threshold', 'confidence-selection', 'text-diffusion');
      const model = imageModel();
      const { engine } = createEngine({ model, vocabulary: testVocabulary(), container: parts.container });
      const committed: number[] = [];
      const result = await engine.generate(
        t2iRequest({ scheduler, words: [MARKER], unconditional: true, options: { ...options, guidance: 2, guidanceForm: 'show-o' } }),
        { onStep: (event) => committed.push(event.committed[0]?.length ?? 0) },
      );
      expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(new Array(T.gridTokens).fill(T.imageOffset + 1));
      // Every forward carries both rows: the conditional one and its unconditional twin.
      expect(model.forwards.map((forward) => forward.batch)).toEqual(new Array(result.stats.forwardPasses).fill(2));

      // Each candidate slice the model returned is the raw conditional one (not read), the raw
      // unconditional one, or the conditional one guided exactly once — never guided twice.
      let guided = 0;
      for (const logits of model.outputs) {
        for (let at = 0; at < logits.length; at += T.vocabSize) {
          const slice = Array.from(logits.subarray(at + T.imageOffset, at + T.imageOffset + 4));
          if (slice.every((value, i) => Math.abs(value - (GUIDED[i] as number)) < 1e-5)) guided += 1;
          else expect([RAW_COND, UNCOND]).toContainEqual(slice);
        }
      }
      // A block step reads every position still masked; an append step reads the next one.
      let masked = T.gridTokens;
      let reads = 0;
      for (const count of committed) {
        reads += scheduler === 'autoregressive' ? 1 : masked;
        masked -= count;
      }
      expect(masked).toBe(0);
      expect(guided).toBe(reads);
    });
  }
});
