import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { resolveMaskSchedule } from '../src/schedulers/mask-schedule.ts';

function refusal(spec: string): ConfigError {
  try {
    resolveMaskSchedule(spec, 'segments[1].options.schedule');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be refused`);
}

describe('a schedule expression may call only whitelisted scalar functions', () => {
  const cases: [string, string][] = [
    ['import("fs")', 'import'],
    ['evaluate("1-t")', 'evaluate'],
    ['createUnit("bar") + 1 - t', 'createUnit'],
    ['parse("t")', 'parse'],
    ['0*sum(ones(1500,1500)) + 1 - t', 'sum'],
    ['1 - t + 0*det([1])', 'det'],
    ['constructor(t)', 'constructor'],
  ];
  for (const [spec, culprit] of cases) {
    it(`refuses ${spec}, naming ${culprit}() and the field, quoting the expression and listing what is allowed`, () => {
      const error = refusal(spec);
      expect(error.what).toBe('segments[1].options.schedule');
      expect(error.got).toBe(spec);
      expect(error.message).toContain(`segments[1].options.schedule: ${JSON.stringify(spec)} calls ${culprit}(), which a schedule may not call`);
      expect(error.message).toContain('the functions abs, sqrt, cbrt, exp');
      expect(error.message).toContain('pow, mod');
      // No mathjs internals: a one-line ConfigError, nothing chained.
      expect(error.message).not.toContain('\n');
      expect(error.cause).toBeUndefined();
    });
  }

  it('refuses the matrix expression without running it (it used to take minutes)', () => {
    const began = performance.now();
    refusal('0*sum(ones(1500,1500)) + 1 - t');
    expect(performance.now() - began).toBeLessThan(100);
  });

  it('a wrong argument count names the function and what it takes', () => {
    expect(refusal('1 - pow(t)').message).toContain('calls pow() with 1 argument; pow takes 2');
    expect(refusal('1 - atan2(t, t, t)').message).toContain('calls atan2() with 3 arguments; atan2 takes 2');
  });
});
