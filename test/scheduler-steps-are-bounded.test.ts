import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { withPlugins } from './support/plugin-fakes.ts';

/** Every step is a forward of the whole segment: an absurd step count fails when the options parse. */
describe('scheduler step counts are bounded at parse time', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['maskgit', { steps: 100000 }, 'steps', 'an integer >= 1 and <= 4096'],
    ['margin', { steps: 100000 }, 'steps', 'an integer >= 1 and <= 4096'],
    ['entropy', { steps: 4097 }, 'steps', 'an integer >= 1 and <= 4096'],
    ['halton', { steps: 100000 }, 'steps', 'an integer <= 4096'],
    ['text-diffusion', { steps: 100000 }, 'steps', 'an integer <= 4096, or null'],
    ['text-diffusion', { stepsPerBlock: 5000 }, 'stepsPerBlock', 'an integer <= 4096, or null'],
    ['threshold', { maxSteps: 100000 }, 'maxSteps', 'an integer <= 4096, or null'],
  ];
  for (const [scheduler, options, field, expected] of cases) {
    it(`${scheduler} refuses ${JSON.stringify(options)}, naming ${field}, the value and the bound`, async () => {
      const { schedulers } = await withPlugins('halton', 'confidence-selection', 'text-diffusion', 'threshold');
      let error: unknown;
      try {
        schedulers.parseOptions(scheduler, options, 'segments[1].options');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const value = options[field];
      expect((error as ConfigError).what).toBe(`segments[1].options.${field}`);
      expect((error as ConfigError).expected).toBe(expected);
      expect((error as Error).message).toContain(`segments[1].options.${field}: got ${String(value)}, expected ${expected}`);
    });
  }

  it('4096 itself is accepted by every one of them', async () => {
    const { schedulers } = await withPlugins('halton', 'confidence-selection', 'text-diffusion', 'threshold');
    for (const scheduler of ['maskgit', 'margin', 'entropy', 'halton', 'text-diffusion']) {
      expect(schedulers.parseOptions(scheduler, { steps: 4096 }, 'options')).toMatchObject({ steps: 4096 });
    }
    expect(schedulers.parseOptions('threshold', { maxSteps: 4096 }, 'options')).toMatchObject({ maxSteps: 4096 });
  });
});
