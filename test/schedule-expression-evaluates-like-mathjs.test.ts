import { evaluate } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { compileScheduleExpression } from '../src/schedulers/schedule-expression.ts';

/** Everything the whitelist allows, written as a user would; mathjs itself is the reference. */
const EXPRESSIONS = [
  'cos(pi/2*t)', '1 - t^2', '2t - t^2', '(1 - t) * e^-t', '1 - sqrt(t)', 'cbrt(1 - t)', 'exp(-3t)', 'expm1(1 - t) / expm1(1)',
  'log(2 - t)', 'log(2 - t, 2)', 'log1p(1 - t)', 'log2(2 - t)', 'log10(10 - 9t)', 'sin(pi/2*(1 - t))', 'tan(t)', 'asin(1 - t)',
  'acos(t) / (pi/2)', 'atan(1 - t)', 'atan2(1 - t, 1)', 'sinh(t)', 'cosh(t) - 1', 'tanh(3(1 - t))', 'min(1, 2 - 2t)',
  'max(0, 1 - 2t, 0.5 - t)', 'floor(10(1 - t)) / 10', 'ceil(10(1 - t)) / 10', 'round(10(1 - t)) / 10', 'round(1 - t, 2)',
  'round(t - 0.5)', 'sign(0.5 - t)', 'pow(1 - t, 3)', 'mod(1 - t, 0.3)', 'mod(t - 1, 0.3)', '(1 - t) % 0.3', '-t + 1', '+t',
  't < 0.5 ? 1 : 1 - t', 't <= 0.5 and t > 0.1', 't >= 0.5 or t == 0', 'not (t != 0.5)', '0 < t < 0.5', '0 <= t <= 1',
  'tau / (2pi) - t * phi / phi', '50% - t / 2', '1e-3 * t', 'PI / pi - E / e', '1 - t ^ 2 ^ 0.5', '-2^2 + 4 - t',
  // Where mathjs forgives round-off or rounds decimals and Math would not.
  '3t == 0.9 ? 1 : 0.5', '3t < 0.9 ? 1 : 0.5', '3t >= 0.9 ? 1 : 0.5', 'floor(10 * (1 - t)) / 10', 'mod(t, 0.1) * 5',
  'round(-2.5 * t) + 3', 'round(2.5t - 1.25, 1) + 2', 'round(1.005 - t, 2)', 'ceil(3t / 0.3) / 10',
];

describe('the whitelisted evaluator agrees with mathjs on everything it allows', () => {
  for (const spec of EXPRESSIONS) {
    it(spec, () => {
      const compiled = compileScheduleExpression(spec, 'schedule', 'an expression');
      for (let i = 0; i <= 40; i++) {
        const t = i / 40;
        const reference: unknown = evaluate(spec, { t });
        const expected = typeof reference === 'boolean' ? Number(reference) : reference;
        expect(typeof expected).toBe('number');
        expect(compiled(t)).toBeCloseTo(expected as number, 12);
      }
    });
  }
});
