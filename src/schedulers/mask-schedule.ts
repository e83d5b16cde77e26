import { compile, parse, type MathNode } from 'mathjs';
import { ConfigError } from '../core/errors.ts';

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

/** Symbols an expression may use besides t: mathjs constants. */
const CONSTANTS = new Set(['pi', 'e', 'PI', 'E', 'tau', 'phi']);

function freeSymbols(node: MathNode): string[] {
  const names: string[] = [];
  node.traverse((child, _path, parent) => {
    if (child.type !== 'SymbolNode') return;
    // The callee of f(x) is a SymbolNode too; it is a function name, not a variable.
    if (parent !== null && parent.type === 'FunctionNode' && (parent as MathNode & { fn: MathNode }).fn === child) return;
    names.push((child as MathNode & { name: string }).name);
  });
  return names;
}

/**
 * Resolves a schedule by name (cosine, linear, sigmoid, arccos, powK) or compiles a mathjs
 * expression in `t`, checked on load: only `t` may vary, and values stay finite within [0, 1].
 */
export function resolveMaskSchedule(spec: string, field = 'schedule'): MaskSchedule {
  const named = NAMED[spec];
  if (named !== undefined) return named;
  const power = /^pow(\d+(?:\.\d+)?)$/.exec(spec);
  if (power !== null) {
    const exponent = Number(power[1]);
    if (!(exponent > 0)) throw new ConfigError(field, spec, VALID);
    return (t) => 1 - t ** exponent;
  }
  let node: MathNode;
  try {
    node = parse(spec);
  } catch (error) {
    throw new ConfigError(field, spec, VALID, `${field}: cannot parse ${JSON.stringify(spec)} (${(error as Error).message}); expected ${VALID}`);
  }
  const others = freeSymbols(node).filter((name) => name !== 't' && !CONSTANTS.has(name));
  if (others.length > 0) {
    throw new ConfigError(field, spec, VALID,
      `${field}: ${JSON.stringify(spec)} uses ${others.map((name) => `"${name}"`).join(', ')}; a schedule is a function of t alone; expected ${VALID}`);
  }
  const code = compile(spec);
  const evaluate = (t: number): number => {
    const value: unknown = code.evaluate({ t });
    return typeof value === 'number' ? value : Number.NaN;
  };
  for (let i = 0; i <= 100; i++) {
    const t = i / 100;
    const value = evaluate(t);
    if (!Number.isFinite(value) || value < -1e-9 || value > 1 + 1e-9) {
      throw new ConfigError(field, spec, VALID,
        `${field}: ${JSON.stringify(spec)} gives ${value} at t = ${t}, outside [0, 1]; expected ${VALID}`);
    }
  }
  return (t) => Math.min(1, Math.max(0, evaluate(t)));
}
