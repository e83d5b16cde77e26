import { ConfigError } from '../core/errors.ts';
import { compileScheduleExpression, quoteExpression } from './schedule-expression.ts';

/** Fraction of tokens still masked after progress t in [0, 1]: 1 at t = 0, 0 at t = 1. */
export type MaskSchedule = (t: number) => number;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Show-o's sigmoid schedule (start -3, end 3, tau 1), normalised to [1, 0]. */
function sigmoidSchedule(t: number, start = -3, end = 3, tau = 1): number {
  const low = sigmoid(start / tau);
  const high = sigmoid(end / tau);
  const value = sigmoid((t * (end - start) + start) / tau);
  return Math.min(1, Math.max(0, (high - value) / (high - low)));
}

const NAMED: Readonly<Record<string, MaskSchedule>> = {
  cosine: (t) => Math.cos((Math.PI / 2) * t),
  linear: (t) => 1 - t,
  sigmoid: (t) => sigmoidSchedule(t),
  // Halton-MaskGIT's arccos schedule.
  arccos: (t) => Math.acos(Math.min(1, Math.max(-1, t))) / (Math.PI / 2),
};

export const NAMED_SCHEDULES = [...Object.keys(NAMED), 'powK (e.g. pow2)'];
const VALID = `a schedule name (${NAMED_SCHEDULES.join(', ')}) or an expression in t that stays within [0, 1], e.g. "cos(pi/2*t)"`;

/** Validation may take this long in all; with O(nodes) evaluations it never comes close. */
export const SCHEDULE_CHECK_BUDGET_MS = 250;

/** Progress after 0-based step `step` of `steps`: the t a maskgit-style count plan evaluates. */
export function progressAfter(step: number, steps: number): number {
  return (step + 1) / steps;
}

/** The t values checked: a 0.01 grid, plus each step's end when the step count is known. */
function* checkPoints(steps: number | undefined): Generator<{ t: number; step?: number }> {
  for (let i = 0; i <= 100; i++) yield { t: i / 100 };
  for (let step = 0; steps !== undefined && step < steps; step++) yield { t: progressAfter(step, steps), step };
}

function checkRange(evaluate: MaskSchedule, spec: string, field: string, steps: number | undefined): void {
  const began = performance.now();
  const overBudget = (): void => {
    const took = performance.now() - began;
    if (took <= SCHEDULE_CHECK_BUDGET_MS) return;
    throw new ConfigError(field, spec, VALID,
      `${field}: ${quoteExpression(spec)} took over ${Math.round(took)} ms to check, more than the ${SCHEDULE_CHECK_BUDGET_MS} ms a schedule may take; simplify it`);
  };
  let checked = 0;
  for (const { t, step } of checkPoints(steps)) {
    // Checked as it goes too, so a caller passing an absurd step count is stopped early.
    if (++checked % 1024 === 0) overBudget();
    const value = evaluate(t);
    if (Number.isFinite(value) && value >= -1e-9 && value <= 1 + 1e-9) continue;
    const where = step === undefined ? `t = ${t}` : `t = ${step + 1}/${steps} = ${t} (after step ${step + 1} of ${steps})`;
    const problem = Number.isFinite(value) ? 'outside [0, 1]' : 'not a number in [0, 1]';
    throw new ConfigError(field, spec, VALID, `${field}: ${quoteExpression(spec)} gives ${value} at ${where}, ${problem}; expected ${VALID}`);
  }
  overBudget();
}

/** The K of a powK name (pow2, pow2.5); undefined for any other spec. */
export function powerExponent(spec: string): number | undefined {
  const power = /^pow(\d+(?:\.\d+)?)$/.exec(spec);
  return power === null ? undefined : Number(power[1]);
}

/**
 * Resolves a schedule by name (cosine, linear, sigmoid, arccos, powK) or compiles an expression
 * in `t` (a whitelisted subset of mathjs syntax, see schedule-expression.ts), checked on load:
 * finite within [0, 1] on a 0.01 grid and, given `steps`, at every t = (s+1)/steps a run uses.
 */
export function resolveMaskSchedule(spec: string, field = 'schedule', steps?: number): MaskSchedule {
  const named = Object.hasOwn(NAMED, spec) ? NAMED[spec] : undefined;
  if (named !== undefined) return named;
  const exponent = powerExponent(spec);
  if (exponent !== undefined) {
    if (!(exponent > 0)) throw new ConfigError(field, spec, VALID);
    return (t) => 1 - t ** exponent;
  }
  const evaluate = compileScheduleExpression(spec, field, VALID);
  checkRange(evaluate, spec, field, steps);
  return (t) => Math.min(1, Math.max(0, evaluate(t)));
}
