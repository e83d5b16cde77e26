/**
 * Named errors with structured fields, so callers (CLI, tests, plugins) can react to the kind of
 * failure without parsing messages.
 */
export class OmnidecodeError extends Error {
  /** What was wrong (a field, a file, a parameter). */
  readonly what: string;
  /** The offending value, as given. */
  readonly got: unknown;
  /** What would have been accepted. */
  readonly expected: string;

  constructor(what: string, got: unknown, expected: string, message?: string) {
    super(message ?? `${what}: got ${describeValue(got)}, expected ${expected}`);
    this.name = new.target.name;
    this.what = what;
    this.got = got;
    this.expected = expected;
  }
}

/** A config file or parameter object failed validation. */
export class ConfigError extends OmnidecodeError {}

/** A scheduler name that no registration provides. */
export class UnknownSchedulerError extends OmnidecodeError {
  /** The plugin that would provide it, when one is known but not loaded. */
  readonly providedBy: string | undefined;
  constructor(name: string, registered: readonly string[], providedBy?: string) {
    const hint = providedBy === undefined ? ''
      : `; "${name}" comes with the plugin ${providedBy}: load it with --plugin ${providedBy} (or plugins: [${providedBy}] in a config)`;
    super('scheduler', name, `one of: ${registered.join(', ')}`,
      `unknown scheduler "${name}"; registered schedulers: ${registered.join(', ')}${hint}`);
    this.providedBy = providedBy;
  }
}

/** A registration that clashes with an existing name. */
export class DuplicateRegistrationError extends OmnidecodeError {}

/** A request the engine cannot run as given (bad ids, too long, wrong layout). */
export class InvalidRequestError extends OmnidecodeError {}

/** The model produced NaN or Inf where a scheduler needed logits. */
export class NonFiniteLogitsError extends OmnidecodeError {
  readonly step: number;
  readonly segment: number;
  constructor(segment: number, step: number, index: number, value: number) {
    super('logits', value, 'finite numbers',
      `non-finite logit ${value} at segment ${segment}, step ${step} (flat index ${index})`);
    this.step = step;
    this.segment = segment;
  }
}

/** Decoding stopped because the caller's AbortSignal fired. */
export class AbortError extends OmnidecodeError {
  constructor(reason?: unknown) {
    super('signal', reason ?? 'aborted', 'no abort', `decoding aborted${reason instanceof Error ? `: ${reason.message}` : ''}`);
    this.name = 'AbortError';
  }
}

/** A model file is missing or does not match the expected contract. */
export class ModelFileError extends OmnidecodeError {}

/** A plugin failed to load, register, or run. */
export class PluginError extends OmnidecodeError {
  readonly plugin: string;
  constructor(plugin: string, cause: string, options?: { cause?: unknown }) {
    super('plugin', plugin, 'a module that registers schedulers, processors or hooks', `plugin ${plugin}: ${cause}`);
    this.plugin = plugin;
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Input data (an image, a mask, a prompt) that cannot be used. */
export class InputError extends OmnidecodeError {}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A scheduler's decision the engine cannot apply: a known position, a token outside its candidates, a bad index. */
export class SchedulerDecisionError extends OmnidecodeError {
  readonly scheduler: string;
  readonly step: number;
  constructor(scheduler: string, step: number, what: string, got: unknown, expected: string) {
    super(what, got, expected, `scheduler "${scheduler}" at step ${step}: ${what}: got ${typeof got === 'string' ? got : JSON.stringify(got)}, expected ${expected}`);
    this.scheduler = scheduler;
    this.step = step;
  }
}

/**
 * An execution provider the runtime lacks, or one it lists but could not start (its libraries
 * missing, no device). Raised before any model is loaded; names the providers this runtime has.
 */
export class ExecutionProviderError extends ConfigError {
  readonly provider: string;
  readonly available: readonly string[];
  constructor(provider: string, available: readonly string[], message: string) {
    super('execution provider', provider, `one of: ${available.join(', ')}`, message);
    this.provider = provider;
    this.available = available;
  }
}
