import { InvalidRequestError } from './errors.ts';

/**
 * When a text row stops, decided by the engine for every text scheduler (AR and parallel alike).
 * `check` sees a row's tokens at `tokens[base + i]`: positions [0, upTo) are all known, [from, upTo)
 * new since the last call. It returns the row's end (how many tokens count as output) or -1 to go on.
 */
export interface StopCondition {
  readonly name: string;
  check(tokens: Int32Array, base: number, from: number, upTo: number): number;
}

/**
 * A caller's own condition: true once the row's first `length` tokens should end it. `text()`
 * decodes them (only when called: decoding every prefix would cost O(n²)); undefined without a decoder.
 */
export type UserStopCondition = (tokens: Int32Array, length: number, text: () => string | undefined) => boolean;

/** A generated text segment's stop settings (GenerateSegment.stop). */
export interface StopSettings {
  /** Stop at the end-of-text token (not part of the output). Default true for text. */
  readonly eos?: boolean;
  /** Stop once the decoded text contains one of these (the output ends after it). */
  readonly strings?: readonly string[];
  /** At most this many tokens (at most the segment's length, the default). */
  readonly maxTokens?: number;
  /** Any other rule, checked after every new token. */
  readonly when?: UserStopCondition;
}

/** The most stop strings a segment takes, and their longest length: each is searched after every token. */
export const MAX_STOP_STRINGS = 64;
export const MAX_STOP_STRING_LENGTH = 256;

class EosStop implements StopCondition {
  readonly name = 'eos';
  constructor(private readonly eos: number) {}
  check(tokens: Int32Array, base: number, from: number, upTo: number): number {
    for (let i = from; i < upTo; i++) if (tokens[base + i] === this.eos) return i;
    return -1;
  }
}

class MaxTokensStop implements StopCondition {
  readonly name = 'max tokens';
  constructor(private readonly max: number) {}
  check(_tokens: Int32Array, _base: number, _from: number, upTo: number): number {
    return upTo >= this.max ? this.max : -1;
  }
}

class StringStop implements StopCondition {
  readonly name = 'stop strings';
  /** Tokens decoded per check: a stop string of n characters ends within the last n tokens (+ slack for joins). */
  private readonly window: number;
  constructor(private readonly strings: readonly string[], private readonly decode: (ids: ArrayLike<number>) => string) {
    this.window = Math.max(...strings.map((stop) => stop.length)) + 8;
  }
  check(tokens: Int32Array, base: number, from: number, upTo: number): number {
    for (let i = from; i < upTo; i++) {
      const text = this.decode(tokens.subarray(base + Math.max(0, i + 1 - this.window), base + i + 1));
      if (this.strings.some((stop) => text.includes(stop))) return i + 1;
    }
    return -1;
  }
}

class UserStop implements StopCondition {
  readonly name = 'user condition';
  constructor(private readonly when: UserStopCondition, private readonly decode: ((ids: ArrayLike<number>) => string) | undefined) {}
  check(tokens: Int32Array, base: number, from: number, upTo: number): number {
    for (let i = from; i < upTo; i++) {
      const prefix = tokens.subarray(base, base + i + 1);
      if (this.when(prefix, i + 1, () => this.decode?.(prefix))) return i + 1;
    }
    return -1;
  }
}

/** The conditions of one segment, in the order they are checked; the earliest end wins. */
export class StopList {
  private constructor(readonly conditions: readonly StopCondition[]) {}

  static none(): StopList {
    return new StopList([]);
  }

  /** Validates `settings` (errors name `field`) and builds the list for a text segment of `length` tokens. */
  static forText(settings: StopSettings | undefined, length: number, eos: number, decode: ((ids: ArrayLike<number>) => string) | undefined, field: string): StopList {
    const conditions: StopCondition[] = [];
    if (settings?.eos !== undefined && typeof settings.eos !== 'boolean') throw new InvalidRequestError(`${field}.eos`, settings.eos, 'true or false');
    if (settings?.eos ?? true) conditions.push(new EosStop(eos));
    const max = settings?.maxTokens;
    if (max !== undefined) {
      if (!Number.isInteger(max) || max < 1 || max > length) throw new InvalidRequestError(`${field}.maxTokens`, max, `an integer from 1 to ${length} (the segment's length)`);
      if (max < length) conditions.push(new MaxTokensStop(max));
    }
    const strings = settings?.strings ?? [];
    if (!Array.isArray(strings) || strings.length > MAX_STOP_STRINGS || strings.some((item) => typeof item !== 'string' || item === '' || item.length > MAX_STOP_STRING_LENGTH)) {
      throw new InvalidRequestError(`${field}.strings`, strings, `at most ${MAX_STOP_STRINGS} non-empty strings of at most ${MAX_STOP_STRING_LENGTH} characters`);
    }
    if (strings.length > 0) {
      if (decode === undefined) throw new InvalidRequestError(`${field}.strings`, strings, 'an engine with a text decoder (createEngine({ decodeText }))');
      conditions.push(new StringStop(strings, decode));
    }
    if (settings?.when !== undefined) {
      if (typeof settings.when !== 'function') throw new InvalidRequestError(`${field}.when`, settings.when, 'a function (tokens, length, text) => boolean');
      conditions.push(new UserStop(settings.when, decode));
    }
    return new StopList(conditions);
  }

  /** The row's end when one condition says stop, else -1. */
  check(tokens: Int32Array, base: number, from: number, upTo: number): number {
    let end = -1;
    for (const condition of this.conditions) {
      const found = condition.check(tokens, base, from, upTo);
      if (found >= 0 && (end < 0 || found < end)) end = found;
    }
    return end;
  }
}
