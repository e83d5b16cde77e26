import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { resolveMaskSchedule, SCHEDULE_CHECK_BUDGET_MS } from '../src/schedulers/mask-schedule.ts';
import { MAX_EXPRESSION_LENGTH, MAX_EXPRESSION_NODES } from '../src/schedulers/schedule-expression.ts';

describe('a schedule expression is bounded in length and nodes', () => {
  it('refuses more than 500 characters, saying how long it is, and accepts fewer', () => {
    expect(MAX_EXPRESSION_LENGTH).toBe(500);
    // Long but tiny: a 490-digit fraction keeps the node count at 5.
    const spec = `1 - t + 0.${'0'.repeat(490)}1`;
    expect(spec.length).toBe(501);
    expect(resolveMaskSchedule(spec.slice(0, 499) + '1', 'schedule')(0.5)).toBeCloseTo(0.5, 12);
    expect(() => resolveMaskSchedule(spec, 'schedule')).toThrow(ConfigError);
    expect(() => resolveMaskSchedule(spec, 'schedule')).toThrow(/^schedule: "1 - t \+ 0\.0000.*\.\.\." is 501 characters long, more than the 500 a schedule expression may have$/);
  });

  it('refuses more than 200 nodes, counting them', () => {
    expect(MAX_EXPRESSION_NODES).toBe(200);
    // 1 - t is 3 nodes; each "+t*0" adds 4 (add, multiply, t, 0).
    const spec = `1 - t${'+t*0'.repeat(50)}`;
    expect(spec.length).toBeLessThanOrEqual(500);
    expect(() => resolveMaskSchedule(spec, 'schedule')).toThrow('has 203 nodes (numbers, names, operators, calls)');
    expect(() => resolveMaskSchedule(spec, 'schedule')).toThrow('more than the 200 a schedule expression may have');
  });

  it('accepts an expression at the node limit and checks it at 4096 steps well within the time budget', () => {
    const spec = `1 - t${'+t*0'.repeat(49)}`;
    const began = performance.now();
    const schedule = resolveMaskSchedule(spec, 'schedule', 4096);
    const took = performance.now() - began;
    expect(schedule(0.25)).toBeCloseTo(0.75, 12);
    expect(took).toBeLessThan(SCHEDULE_CHECK_BUDGET_MS);
  });
});
