import { describe, expect, it } from 'vitest';
import { checkSchedulers, parseConfig } from '../src/core/config/omnidecode-config.ts';
import { ConfigError } from '../src/core/errors.ts';
import { createEngine, createSchedulerContainer } from '../src/omnidecode-container.ts';
import { uniformModel } from './support/fake-models.ts';
import { P, imageRequest, pluginVocabulary, withPlugins } from './support/plugin-fakes.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

/** NaN only at t = 1/3, which the 0.01 grid never visits but a 3-step run does (after step 1). */
const NAN_AT_A_THIRD = 'abs(t-1/3) < 1e-9 ? 0/0 : 1-t';
/** 2 only at t = 1/8: outside [0, 1] at a t that 8 steps use. */
const TWO_AT_AN_EIGHTH = 't == 1/8 ? 2 : 1 - t';

describe('a schedule is checked at exactly the t values its step count uses', () => {
  it('maskgit refuses NaN at t = 1/3 with steps 3, before any forward, naming the field, t and value', async () => {
    const model = uniformModel(T.vocabSize);
    const { engine } = createEngine({ model, vocabulary: testVocabulary() });
    const error = await engine.generate(t2iRequest({ options: { steps: 3, schedule: NAN_AT_A_THIRD } })).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).what).toBe('segments[1].options.schedule');
    expect((error as Error).message).toContain(
      `segments[1].options.schedule: ${JSON.stringify(NAN_AT_A_THIRD)} gives NaN at t = 1/3 = 0.3333333333333333 (after step 1 of 3), not a number in [0, 1]`);
    expect(model.forwards).toHaveLength(0);
  });

  it('the same schedule with steps 4 (t = 1/4, 1/2, 3/4, 1) decodes', async () => {
    const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
    const result = await engine.generate(t2iRequest({ options: { steps: 4, schedule: NAN_AT_A_THIRD } }));
    expect(result.stats.forwardPasses).toBe(5);
  });

  it('a config file is checked the same way (schedulers.image.schedule)', () => {
    const { schedulers } = createSchedulerContainer();
    const config = parseConfig({ schedulers: { image: { name: 'maskgit', steps: 8, schedule: TWO_AT_AN_EIGHTH } } }, '/');
    expect(() => checkSchedulers(config, schedulers)).toThrow(
      `schedulers.image.schedule: ${JSON.stringify(TWO_AT_AN_EIGHTH)} gives 2 at t = 1/8 = 0.125 (after step 1 of 8), outside [0, 1]`);
  });

  for (const scheduler of ['halton', 'margin', 'entropy']) {
    it(`${scheduler} checks its schedule at its own steps too`, async () => {
      const parts = await withPlugins('halton', 'confidence-selection');
      const options = { steps: 3, schedule: NAN_AT_A_THIRD };
      expect(() => parts.schedulers.parseOptions(scheduler, options, 'segments[1].options')).toThrow(
        'segments[1].options.schedule: "abs(t-1/3) < 1e-9 ? 0/0 : 1-t" gives NaN at t = 1/3');
      expect(parts.schedulers.parseOptions(scheduler, { ...options, steps: 4 }, 'segments[1].options')).toMatchObject({ steps: 4 });
      // And through the engine, as a user's request would arrive.
      const { engine } = createEngine({ model: uniformModel(P.vocabSize), vocabulary: pluginVocabulary(), container: parts.container });
      await expect(engine.generate(imageRequest({ scheduler, options }))).rejects.toBeInstanceOf(ConfigError);
    });
  }
});
