import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

async function rejection(options: Record<string, unknown>, text = false): Promise<unknown> {
  const model = uniformModel(T.vocabSize);
  const { engine } = createEngine({ model, vocabulary: testVocabulary() });
  const request = text ? textRequest([3], 4, options) : t2iRequest({ options });
  const error = await engine.generate(request).then(() => undefined, (failure: unknown) => failure);
  expect(model.forwards).toHaveLength(0);
  return error;
}

describe('scheduler options are validated, each error naming the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a schedule that is not a function of t alone', { schedule: 'cos(x*t)' },
      'segments[1].options.schedule: "cos(x*t)" uses "x"; a schedule is a function of t alone'],
    ['a schedule leaving [0, 1]', { schedule: '2*t' },
      'segments[1].options.schedule: "2*t" gives 1.02 at t = 0.51, outside [0, 1]'],
    ['an unparseable schedule', { schedule: 'cos(' }, 'segments[1].options.schedule: cannot parse "cos("'],
    ['an unknown schedule name', { schedule: 'zigzag' }, 'segments[1].options.schedule: "zigzag" uses "zigzag"'],
    ['steps < 1', { steps: 0 }, 'segments[1].options.steps: got 0, expected an integer >= 1'],
    ['fractional steps', { steps: 2.5 }, 'segments[1].options.steps: got 2.5, expected an integer >= 1'],
    ['guidance < 0', { guidance: -1 }, 'segments[1].options.guidance: got -1, expected a number >= 0'],
    ['an unknown guidance form', { guidanceForm: 'cfg++' }, 'segments[1].options.guidanceForm: got "cfg++", expected one of: show-o, standard'],
    ['topP = 0', { sampler: { topP: 0 } }, 'segments[1].options.sampler.topP: got 0, expected a number > 0 and <= 1'],
    ['topP > 1', { sampler: { topP: 1.5 } }, 'segments[1].options.sampler.topP: got 1.5, expected a number > 0 and <= 1'],
    ['temperature 0', { sampler: { temperature: 0 } }, 'segments[1].options.sampler.temperature: got 0, expected a number > 0'],
    ['an unknown parameter', { stepz: 3 }, 'unknown parameter segments[1].options.stepz; valid parameters: steps, schedule'],
  ];
  for (const [name, options, message] of cases) {
    it(`maskgit rejects ${name}`, async () => {
      const error = await rejection(options);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(message);
    });
  }

  it('accepts the boundary values topP = 1, guidance = 0, steps = 1', async () => {
    const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
    const result = await engine.generate(t2iRequest({ options: { steps: 1, guidance: 0, sampler: { topP: 1 } } }));
    expect(result.stats.forwardPasses).toBe(2);
  });

  it('autoregressive rejects guidance < 0 and topP outside (0, 1] too', async () => {
    expect(((await rejection({ guidance: -0.5 }, true)) as Error).message).toContain('segments[1].options.guidance: got -0.5, expected a number >= 0');
    expect(((await rejection({ sampler: { topP: -0.1 } }, true)) as Error).message).toContain('segments[1].options.sampler.topP: got -0.1');
    // Stop strings are the segment's (segments[i].stop), not a scheduler option.
    expect(((await rejection({ stopStrings: ['END'] }, true)) as Error).message).toContain('unknown parameter segments[1].options.stopStrings');
  });
});
