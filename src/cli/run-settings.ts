import { ConfigError } from '../core/errors.ts';
import type { OmnidecodeConfig, SchedulerChoice } from '../core/config/omnidecode-config.ts';
import { readConfigFile } from '../node/config-file.ts';
import { parseSeed } from '../core/config/parse-seed.ts';
import { checkPlainKey } from '../core/config/safe-keys.ts';
import { SourcedOptions } from '../core/config/sourced-options.ts';
import { parseUnknownWords } from '../core/config/unknown-words-setting.ts';
import { parseExecutionProviders, parseSpinningFlag, type SessionSettings } from '../core/config/session-settings.ts';
import { createNodeSchedulerContainer } from '../node/node-scheduler-container.ts';
import { loadPluginsOrThrow } from '../node/plugin-loader.ts';
import type { Modality } from '../core/request.ts';
import { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import type { UnknownWords } from '../tokenizers/text-tokenizer.ts';
import { DECODER_MAX_PIXELS, type PngReadOptions } from '../tokenizers/png-read.ts';

/** Flags shared by every model command. */
export interface CommonFlags {
  config?: string;
  model?: string;
  plugin: string[];
  seed?: string;
  scheduler?: string;
  steps?: string;
  guidance?: string;
  schedule?: string;
  set: string[];
  threads?: string;
  /** `--device cuda`: the execution provider (overrides the config's executionProviders). */
  device?: string;
  /** `--spinning on|off`. */
  spinning?: string;
  /** `--unknown-words unk|error`. */
  unknownWords?: string;
  /** `--max-pixels N`: the largest input PNG read. */
  maxPixels?: string;
}

/** An integer flag in [min, max]; undefined when the flag was not given. Errors name `flag` and the text typed. */
export function integerFlag(value: string | undefined, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  // Number('') is 0: an empty value is not a number.
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(flag, value, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`);
  }
  return number;
}

/** `--device NAME`: one execution provider by name; whether the runtime has it is the backend's check. */
export function deviceFlag(value: string | undefined): readonly string[] | undefined {
  if (value === undefined) return undefined;
  return parseExecutionProviders([value.trim()], '--device').map((choice) => (typeof choice === 'string' ? choice : choice.name));
}

export function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(number)) throw new ConfigError(flag, value, 'a number');
  return number;
}

/**
 * `--set key=value` (value parsed as JSON when it can be, e.g. numbers, booleans, objects). Keys
 * must be plain identifiers; `__proto__`, `constructor` and `prototype` are refused, at the top
 * and inside JSON objects, so nothing is silently dropped or reaches Object.prototype.
 */
export function applySet(entries: readonly string[], options: SourcedOptions): void {
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new ConfigError('--set', entry, 'key=value, e.g. --set choiceTemperature=4.5');
    const key = entry.slice(0, at);
    checkPlainKey(key, '--set');
    const raw = entry.slice(at + 1);
    let value: unknown = raw;
    try { value = JSON.parse(raw); } catch { /* a bare string */ }
    options.set(key, value, `--set ${key}`);
  }
}

export interface RunSettings {
  readonly config: OmnidecodeConfig | null;
  readonly pipeline: OmnidecodePipeline;
  /** An integer in [0, 2^32): `--seed 5`, `--seed 5.0` and `seed: 5.0` in a config are the same seed. */
  readonly seed: number;
  readonly unknownWords: UnknownWords;
  /** Limits for the input PNGs the task reads. */
  readonly read: PngReadOptions;
  /** The scheduler choice for the modality the command generates. */
  readonly scheduler: Partial<SchedulerChoice>;
}

/** What every model command (any folder kind) reads the same way, flags over the config file. */
export interface FlagSettings {
  readonly seed: number;
  readonly unknownWords: UnknownWords;
  readonly threads: number | undefined;
  readonly executionProviders: SessionSettings['executionProviders'];
  readonly allowSpinning: boolean | undefined;
  /** Limits for the input PNGs the task reads. */
  readonly read: PngReadOptions;
}

/** Checks every shared flag before plugins or a model load, so a typo fails at once. */
export function readFlagSettings(flags: CommonFlags, config: OmnidecodeConfig | null): FlagSettings {
  const seed = flags.seed !== undefined ? parseSeed(flags.seed, '--seed') : config?.seed ?? 0;
  const unknownWords = flags.unknownWords !== undefined ? parseUnknownWords(flags.unknownWords, '--unknown-words') : config?.unknownWords ?? 'reject';
  const threads = integerFlag(flags.threads, '--threads', 1) ?? config?.threads ?? undefined;
  const executionProviders = deviceFlag(flags.device) ?? config?.session.executionProviders;
  const allowSpinning = flags.spinning !== undefined ? parseSpinningFlag(flags.spinning, '--spinning') : config?.session.allowSpinning;
  const maxPixels = integerFlag(flags.maxPixels, '--max-pixels', 1, DECODER_MAX_PIXELS);
  return { seed, unknownWords, threads, executionProviders, allowSpinning, read: maxPixels !== undefined ? { maxPixels } : {} };
}

/** Model defaults < config file < command-line flags. Loads plugins first so their schedulers validate. */
export async function loadRunSettings(flags: CommonFlags, modality: Modality): Promise<RunSettings> {
  const config = flags.config ? await readConfigFile(flags.config) : null;
  const { seed, unknownWords, threads, executionProviders, allowSpinning, read } = readFlagSettings(flags, config);
  const fromFile = config?.schedulers[modality];
  const sourced = new SourcedOptions();
  sourced.setAll(fromFile?.options ?? {}, `schedulers.${modality}`);
  const steps = integerFlag(flags.steps, '--steps', 1);
  const guidance = numberFlag(flags.guidance, '--guidance');
  if (steps !== undefined) sourced.set('steps', steps, '--steps');
  if (guidance !== undefined) sourced.set('guidance', guidance, '--guidance');
  if (flags.schedule !== undefined) sourced.set('schedule', flags.schedule, '--schedule');
  applySet(flags.set, sourced);

  const { container } = createNodeSchedulerContainer();
  await loadPluginsOrThrow([...(config?.plugins ?? [])], container, config?.baseDir);
  await loadPluginsOrThrow(flags.plugin, container);
  const model = flags.model ?? config?.model ?? undefined;
  const pipeline = await OmnidecodePipeline.load({
    container, ...(model ? { model } : {}), ...(threads ? { threads } : {}), unknownWords,
    ...(executionProviders ? { executionProviders } : {}), ...(allowSpinning !== undefined ? { allowSpinning } : {}),
    onWarning: (message) => process.stderr.write(`omnidecode: ${message}\n`),
  });
  const name = flags.scheduler ?? fromFile?.name;
  // Validate now, naming the place the user wrote each value (--steps, --set steps,
  // schedulers.image.steps), rather than after loading images.
  const nameSource = flags.scheduler !== undefined ? '--scheduler' : fromFile !== undefined ? `schedulers.${modality}.name` : `the model's default ${modality} scheduler`;
  const scheduler = { ...(name ? { name } : {}), options: sourced.options };
  try {
    sourced.validate(pipeline.schedulers, name ?? pipeline.config.defaults[modality].scheduler, modality, nameSource);
    pipeline.schedulerFor(modality, scheduler);
  } catch (error) {
    await pipeline.dispose();
    throw error;
  }
  return { config, pipeline, seed, unknownWords, scheduler, read };
}
