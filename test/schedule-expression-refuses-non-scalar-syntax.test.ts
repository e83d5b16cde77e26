import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { resolveMaskSchedule } from '../src/schedulers/mask-schedule.ts';

function message(spec: string): string {
  try {
    resolveMaskSchedule(spec, 'schedule');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).what).toBe('schedule');
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(spec)} to be refused`);
}

describe('a schedule expression is scalar arithmetic on t and nothing else', () => {
  const cases: [string, string][] = [
    ['f(x) = 1 - x', 'contains a function definition (f(x) = 1 - x)'],
    ['t = 0.5', 'contains an assignment (t = 0.5)'],
    ['1 - t + 0*[1, 2]', 'contains a matrix or array ([1, 2])'],
    ['x[1]', 'contains an index or property access (x[1])'],
    ['{a: 1}', 'contains an object'],
    ['1:3', 'contains a range (1:3)'],
    ['1 - t; t', 'contains several statements'],
    ['"1 - t"', 'contains a string ("1 - t"), which is not a number'],
    ['true ? 1 - t : 0', 'contains a constant (true), which is not a number'],
    ['math.cos(t)', 'calls a computed function (math.cos(t))'],
    ['t to cm', 'uses the operator "to"'],
    ['1 - t!', 'uses the operator "!" (factorial'],
    ['1 - t .* t', 'uses the operator ".*"'],
    ['5 cm', 'uses "cm"; a schedule is a function of t alone'],
    ['cos(x*t) + y', 'uses "x", "y"; a schedule is a function of t alone'],
  ];
  for (const [spec, culprit] of cases) {
    it(`refuses ${JSON.stringify(spec)}, naming the culprit`, () => {
      const text = message(spec);
      expect(text).toContain(`schedule: ${JSON.stringify(spec)} `);
      expect(text).toContain(culprit);
    });
  }

  it('a parse error is a one-line ConfigError quoting the expression, without mathjs\'s stack', () => {
    const text = message('cos(');
    expect(text).toMatch(/^schedule: cannot parse "cos\(" \(Unexpected end of expression \(char 5\)\); expected a schedule name/);
    expect(text).not.toContain('\n');
  });
});
