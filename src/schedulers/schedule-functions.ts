import { mathjsCeil, mathjsFloor, mathjsMod, mathjsRound, nearlyEqual } from './mathjs-number-semantics.ts';

/**
 * What a schedule expression may use: scalar functions, operators and constants on plain numbers.
 * Each takes O(1) time, so evaluating an expression costs O(its node count) and nothing more.
 * The bodies follow mathjs's number semantics (round, floor, ceil, mod, comparisons, log(x, b)),
 * except that a complex result (sqrt(-1)) is NaN here, which the schedule check then refuses.
 */
export interface ScheduleFunction {
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly apply: (args: readonly number[]) => number;
}

const first = (args: readonly number[]): number => args[0] as number;
const second = (args: readonly number[]): number => args[1] as number;
const unary = (body: (x: number) => number): ScheduleFunction => ({ minArgs: 1, maxArgs: 1, apply: (args) => body(first(args)) });
const binary = (body: (x: number, y: number) => number): ScheduleFunction => ({ minArgs: 2, maxArgs: 2, apply: (args) => body(first(args), second(args)) });

export const SCHEDULE_FUNCTIONS: Readonly<Record<string, ScheduleFunction>> = {
  abs: unary(Math.abs),
  sqrt: unary(Math.sqrt),
  cbrt: unary(Math.cbrt),
  exp: unary(Math.exp),
  expm1: unary(Math.expm1),
  log: { minArgs: 1, maxArgs: 2, apply: (args) => (args.length === 1 ? Math.log(first(args)) : Math.log(first(args)) / Math.log(second(args))) },
  log1p: unary(Math.log1p),
  log2: unary(Math.log2),
  log10: unary(Math.log10),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  atan2: binary(Math.atan2),
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  tanh: unary(Math.tanh),
  min: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, apply: (args) => Math.min(...args) },
  max: { minArgs: 1, maxArgs: Number.POSITIVE_INFINITY, apply: (args) => Math.max(...args) },
  floor: unary(mathjsFloor),
  ceil: unary(mathjsCeil),
  round: { minArgs: 1, maxArgs: 2, apply: (args) => mathjsRound(first(args), args.length === 2 ? second(args) : 0) },
  sign: unary(Math.sign),
  pow: binary(Math.pow),
  mod: binary(mathjsMod),
};

export const SCHEDULE_FUNCTION_NAMES = Object.keys(SCHEDULE_FUNCTIONS);

/** Named constants besides t (mathjs spells pi and e in both cases). */
export const SCHEDULE_CONSTANTS: Readonly<Record<string, number>> = {
  pi: Math.PI, PI: Math.PI, e: Math.E, E: Math.E, tau: 2 * Math.PI, phi: (1 + Math.sqrt(5)) / 2,
};

const truth = (value: boolean): number => (value ? 1 : 0);

/** Operators by mathjs's fn name. Booleans are 1 and 0; comparisons forgive round-off as mathjs's do. */
export const UNARY_OPERATORS: Readonly<Record<string, (x: number) => number>> = {
  unaryMinus: (x) => -x,
  unaryPlus: (x) => x,
  not: (x) => truth(!x),
};

export const BINARY_OPERATORS: Readonly<Record<string, (x: number, y: number) => number>> = {
  add: (x, y) => x + y,
  subtract: (x, y) => x - y,
  multiply: (x, y) => x * y,
  divide: (x, y) => x / y,
  pow: (x, y) => x ** y,
  mod: mathjsMod,
  smaller: (x, y) => truth(x < y && !nearlyEqual(x, y)),
  larger: (x, y) => truth(x > y && !nearlyEqual(x, y)),
  smallerEq: (x, y) => truth(x <= y || nearlyEqual(x, y)),
  largerEq: (x, y) => truth(x >= y || nearlyEqual(x, y)),
  equal: (x, y) => truth(nearlyEqual(x, y)),
  unequal: (x, y) => truth(!nearlyEqual(x, y)),
  and: (x, y) => truth(Boolean(x) && Boolean(y)),
  or: (x, y) => truth(Boolean(x) || Boolean(y)),
};

/** For error messages: the allowed vocabulary in one line. */
export const SCHEDULE_VOCABULARY = `t, numbers, the constants pi, e, tau, phi, + - * / ^ mod, comparisons (< <= > >= == !=), and/or/not, `
  + `a ? b : c, parentheses and the functions ${SCHEDULE_FUNCTION_NAMES.join(', ')}`;
