import { ConfigError } from '../errors.ts';
import type { Modality } from '../request.ts';
import type { SchedulerRegistry } from '../scheduler-registry.ts';
import { checkPlainKey, emptyRecord, rejectForbiddenKeys } from './safe-keys.ts';

/**
 * Scheduler options merged from several places (config file, --steps, --set ...), each key
 * remembering where the user wrote it, so a validation error names that place (`--steps`,
 * `--set steps`, `schedulers.image.steps`) rather than the scheduler's internal name.
 */
export class SourcedOptions {
  private readonly values = emptyRecord();
  private readonly sources = new Map<string, string>();

  /** Sets `key` to `value`, written by the user at `source` (e.g. `--steps`). Later sets win. */
  set(key: string, value: unknown, source: string): void {
    checkPlainKey(key, source);
    rejectForbiddenKeys(value, source);
    this.values[key] = value;
    this.sources.set(key, source);
  }

  /** Every key of `options` as written under `prefix` (e.g. `schedulers.image`). */
  setAll(options: Readonly<Record<string, unknown>>, prefix: string): void {
    for (const key of Object.keys(options)) this.set(key, options[key], `${prefix}.${key}`);
  }

  /** The merged options, in an object with no prototype. */
  get options(): Record<string, unknown> {
    const copy = emptyRecord();
    for (const key of Object.keys(this.values)) copy[key] = this.values[key];
    return copy;
  }

  /** Where the user wrote `key`, or undefined if no source set it. */
  sourceOf(key: string): string | undefined {
    return this.sources.get(key);
  }

  /**
   * Validates the options against scheduler `name`; errors are renamed to the user's path.
   * `nameSource` names the place the scheduler was chosen (for a scheduler that cannot decode `modality`).
   */
  validate(registry: SchedulerRegistry, name: string, modality: Modality, nameSource: string): Record<string, unknown> {
    // A prefix no user path can contain, replaced afterwards key by key.
    const owner = '\u0000options';
    try {
      return registry.parseOptions(name, this.options, owner, modality);
    } catch (error) {
      if (error instanceof ConfigError) throw this.rename(error, owner, nameSource);
      throw error;
    }
  }

  private rename(error: ConfigError, owner: string, nameSource: string): ConfigError {
    const pattern = new RegExp(`${owner}(?:\\.([A-Za-z_$][A-Za-z0-9_$]*))?`, 'gu');
    const replace = (text: string): string => text.replace(pattern, (_match, key: string | undefined) => (
      key === undefined ? nameSource : this.sources.get(key) ?? `${nameSource}.${key}`));
    return new ConfigError(replace(error.what), error.got, replace(error.expected), replace(error.message));
  }
}
