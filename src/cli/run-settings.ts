import { ConfigError } from '../core/errors.ts';
import { readConfigFile, type OmnidecodeConfig, type SchedulerChoice } from '../core/config/omnidecode-config.ts';
import { createSchedulerContainer } from '../core/omnidecode-container.ts';
import { loadPluginsOrThrow } from '../core/plugin-loader.ts';
import type { Modality } from '../core/request.ts';
import { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';

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
}

function integerFlag(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min) throw new ConfigError(flag, value, `an integer >= ${min}`);
  return number;
}

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new ConfigError(flag, value, 'a number');
  return number;
}

/** `--set key=value` (value parsed as JSON when it can be, e.g. numbers, booleans, objects). */
function parseSet(entries: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) throw new ConfigError('--set', entry, 'key=value, e.g. --set choiceTemperature=4.5');
    const raw = entry.slice(at + 1);
    let value: unknown = raw;
    try { value = JSON.parse(raw); } catch { /* a bare string */ }
    out[entry.slice(0, at)] = value;
  }
  return out;
}

export interface RunSettings {
  readonly config: OmnidecodeConfig | null;
  readonly pipeline: OmnidecodePipeline;
  readonly seed: number | string;
  /** The scheduler choice for the modality the command generates. */
  readonly scheduler: Partial<SchedulerChoice>;
}

/** Model defaults < config file < command-line flags. Loads plugins first so their schedulers validate. */
export async function loadRunSettings(flags: CommonFlags, modality: Modality): Promise<RunSettings> {
  const config = flags.config ? await readConfigFile(flags.config) : null;
  const { container } = createSchedulerContainer();
  await loadPluginsOrThrow([...(config?.plugins ?? [])], container, config?.baseDir);
  await loadPluginsOrThrow(flags.plugin, container);
  const fromFile = config?.schedulers[modality];
  const options: Record<string, unknown> = { ...(fromFile?.options ?? {}) };
  const steps = integerFlag(flags.steps, '--steps', 1);
  const guidance = numberFlag(flags.guidance, '--guidance');
  if (steps !== undefined) options.steps = steps;
  if (guidance !== undefined) options.guidance = guidance;
  if (flags.schedule !== undefined) options.schedule = flags.schedule;
  Object.assign(options, parseSet(flags.set));
  const name = flags.scheduler ?? fromFile?.name;
  const threads = integerFlag(flags.threads, '--threads', 1) ?? config?.threads ?? undefined;
  const model = flags.model ?? config?.model ?? undefined;
  const pipeline = await OmnidecodePipeline.load({
    container, ...(model ? { model } : {}), ...(threads ? { threads } : {}),
    onWarning: (message) => process.stderr.write(`omnidecode: ${message}\n`),
  });
  const scheduler = { ...(name ? { name } : {}), options };
  // Validate now (names the field and the valid values) rather than after loading images.
  pipeline.schedulerFor(modality, scheduler);
  const seed = flags.seed ?? config?.seed ?? 0;
  return { config, pipeline, seed: typeof seed === 'string' && /^-?\d+$/.test(seed) ? Number(seed) : seed, scheduler };
}
