import { ConfigError, describeValue } from '../errors.ts';

/**
 * A small typed schema for scheduler / processor parameters: it validates user values, fills
 * defaults, and describes itself for `omnidecode schedulers`.
 */
export interface ParameterSpec<T> {
  readonly kind: 'number' | 'integer' | 'string' | 'boolean' | 'enum' | 'custom';
  readonly description: string;
  readonly default: T;
  /** Human-readable constraint, e.g. ">= 1" or "one of: cosine, linear". */
  readonly constraint: string;
  /** Returns the parsed value or throws ConfigError naming `field`. */
  parse(value: unknown, field: string): T;
}

export type ParameterShape = Record<string, ParameterSpec<unknown>>;
export type ParametersOf<S extends ParameterShape> = { -readonly [K in keyof S]: S[K] extends ParameterSpec<infer T> ? T : never };

export interface ParameterDescription {
  readonly name: string;
  readonly kind: string;
  readonly default: unknown;
  readonly constraint: string;
  readonly description: string;
}

export interface ParameterSchema<S extends ParameterShape> {
  readonly shape: S;
  /** Validates `raw` (unknown keys rejected), fills defaults. `owner` prefixes field names in errors. */
  parse(raw: unknown, owner: string): ParametersOf<S>;
  describe(): ParameterDescription[];
}

export function defineParameters<S extends ParameterShape>(shape: S): ParameterSchema<S> {
  return {
    shape,
    parse(raw: unknown, owner: string): ParametersOf<S> {
      const given = raw ?? {};
      if (typeof given !== 'object' || Array.isArray(given)) {
        throw new ConfigError(owner, raw, 'an object of parameters');
      }
      const record = given as Record<string, unknown>;
      const known = Object.keys(shape);
      const unknownKeys = Object.keys(record).filter((key) => !known.includes(key));
      if (unknownKeys.length > 0) {
        throw new ConfigError(`${owner}.${unknownKeys[0]}`, record[unknownKeys[0] as string],
          `a known parameter (${known.join(', ') || 'none'})`,
          `unknown parameter ${owner}.${unknownKeys.join(`, ${owner}.`)}; valid parameters: ${known.join(', ') || 'none'}`);
      }
      const out: Record<string, unknown> = {};
      for (const key of known) {
        const spec = shape[key] as ParameterSpec<unknown>;
        out[key] = record[key] === undefined ? spec.default : spec.parse(record[key], `${owner}.${key}`);
      }
      return out as ParametersOf<S>;
    },
    describe(): ParameterDescription[] {
      return Object.entries(shape).map(([name, spec]) => ({
        name, kind: spec.kind, default: spec.default, constraint: spec.constraint, description: spec.description,
      }));
    },
  };
}

interface NumberOptions<T> {
  default: T;
  description: string;
  /** Inclusive bounds unless the exclusive flags say otherwise. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

function numberConstraint(options: NumberOptions<unknown>): string {
  const parts: string[] = [];
  if (options.min !== undefined) parts.push(`${options.minExclusive ? '>' : '>='} ${options.min}`);
  if (options.max !== undefined) parts.push(`${options.maxExclusive ? '<' : '<='} ${options.max}`);
  return parts.join(' and ') || 'any finite number';
}

function checkRange(value: number, field: string, options: NumberOptions<unknown>, kind: string): void {
  const low = options.min;
  const high = options.max;
  const tooLow = low !== undefined && (options.minExclusive ? value <= low : value < low);
  const tooHigh = high !== undefined && (options.maxExclusive ? value >= high : value > high);
  if (tooLow || tooHigh) throw new ConfigError(field, value, `${kind} ${numberConstraint(options)}`);
}

export function numberParameter(options: NumberOptions<number>): ParameterSpec<number> {
  return {
    kind: 'number', description: options.description, default: options.default, constraint: numberConstraint(options),
    parse(value, field) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(field, value, `a finite number ${numberConstraint(options)}`);
      checkRange(value, field, options, 'a number');
      return value;
    },
  };
}

export function optionalNumberParameter(options: NumberOptions<number | null>): ParameterSpec<number | null> {
  return {
    kind: 'number', description: options.description, default: options.default, constraint: `${numberConstraint(options)}, or null`,
    parse(value, field) {
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(field, value, `a finite number ${numberConstraint(options)} or null`);
      checkRange(value, field, options, 'a number');
      return value;
    },
  };
}

export function integerParameter(options: NumberOptions<number>): ParameterSpec<number> {
  return {
    kind: 'integer', description: options.description, default: options.default, constraint: numberConstraint(options),
    parse(value, field) {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new ConfigError(field, value, `an integer ${numberConstraint(options)}`);
      checkRange(value, field, options, 'an integer');
      return value;
    },
  };
}

export function booleanParameter(options: { default: boolean; description: string }): ParameterSpec<boolean> {
  return {
    kind: 'boolean', description: options.description, default: options.default, constraint: 'true or false',
    parse(value, field) {
      if (typeof value !== 'boolean') throw new ConfigError(field, value, 'true or false');
      return value;
    },
  };
}

export function enumParameter<const T extends string>(options: { values: readonly T[]; default: T; description: string }): ParameterSpec<T> {
  const constraint = `one of: ${options.values.join(', ')}`;
  return {
    kind: 'enum', description: options.description, default: options.default, constraint,
    parse(value, field) {
      if (typeof value !== 'string' || !(options.values as readonly string[]).includes(value)) {
        throw new ConfigError(field, value, constraint);
      }
      return value as T;
    },
  };
}

export function stringListParameter(options: { default: string[]; description: string }): ParameterSpec<string[]> {
  return {
    kind: 'custom', description: options.description, default: options.default, constraint: 'a list of strings',
    parse(value, field) {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        throw new ConfigError(field, value, 'a list of strings');
      }
      return [...value] as string[];
    },
  };
}

/** For parameters with their own parser (e.g. a schedule expression validated on load). */
export function customParameter<T>(options: { default: T; description: string; constraint: string; parse: (value: unknown, field: string) => T }): ParameterSpec<T> {
  return { kind: 'custom', ...options };
}

export { describeValue };
