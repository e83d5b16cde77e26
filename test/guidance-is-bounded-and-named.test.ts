import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { createSchedulerContainer } from '../src/omnidecode-container.ts';
import { MAX_GUIDANCE } from '../src/schedulers/guidance-parameters.ts';

const { schedulers } = createSchedulerContainer();

describe('the guidance scale is bounded to [0, MAX_GUIDANCE]', () => {
  it('accepts the bounds and refuses beyond them, naming guidance', () => {
    expect(MAX_GUIDANCE).toBe(100);
    for (const name of ['maskgit', 'autoregressive']) {
      expect(schedulers.parseOptions(name, { guidance: 100 }, 'scheduler.options').guidance).toBe(100);
      expect(schedulers.parseOptions(name, { guidance: 0 }, 'scheduler.options').guidance).toBe(0);
      for (const bad of [1e308, 100.5, -1]) {
        let error: unknown;
        try {
          schedulers.parseOptions(name, { guidance: bad }, 'scheduler.options');
        } catch (thrown) {
          error = thrown;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).what).toBe('scheduler.options.guidance');
        expect((error as ConfigError).message).toBe(`scheduler.options.guidance: got ${bad}, expected a number >= 0 and <= 100`);
      }
    }
  });
});
