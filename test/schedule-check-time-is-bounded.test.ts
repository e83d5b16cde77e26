import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { resolveMaskSchedule, SCHEDULE_CHECK_BUDGET_MS } from '../src/schedulers/mask-schedule.ts';

describe('checking a schedule stops at its time budget', () => {
  it('a billion step ends to check (no schema in the way) is refused after about 250 ms, not after minutes', () => {
    expect(SCHEDULE_CHECK_BUDGET_MS).toBe(250);
    const began = performance.now();
    let error: unknown;
    try {
      resolveMaskSchedule('cos(pi/2*t) * exp(-t) / exp(-t)', 'schedule', 1e9);
    } catch (caught) {
      error = caught;
    }
    const took = performance.now() - began;
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^schedule: "cos\(pi\/2\*t\) \* exp\(-t\) \/ exp\(-t\)" took over \d+ ms to check, more than the 250 ms a schedule may take; simplify it$/);
    expect(took).toBeGreaterThanOrEqual(SCHEDULE_CHECK_BUDGET_MS);
    expect(took).toBeLessThan(5000);
  });
});
