import { SourcedOptions } from '../core/config/sourced-options.ts';
import { ConfigError, UnknownSchedulerError } from '../core/errors.ts';
import type { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import { canonicalJson } from './canonical-json.ts';
import type { GridSetting, GridValue } from './grid-expansion.ts';
import type { SweepScheduler } from './sweep-job.ts';

/** One setting of the sweep, validated: what its jobs decode with. */
export interface SweepSetting {
  readonly index: number;
  /** e.g. "maskgit steps=8 guidance=2": the scheduler and the values the file gave. */
  readonly label: string;
  /** The options the request carries: the file's values over the model's defaults (steps, guidance) where the scheduler takes them. */
  readonly scheduler: SweepScheduler;
  /** The grid entry it came from: `grid[1]`. */
  readonly path: string;
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function settingLabel(scheduler: string, values: readonly GridValue[]): string {
  return [scheduler, ...values.map((value) => `${value.key}=${formatValue(value.value)}`)].join(' ');
}

/**
 * Checks one grid setting against the registry as `omnidecode generate` would use it: the scheduler
 * exists and decodes images, every parameter is known and valid, and the model's limits hold
 * (pipeline.schedulerFor). Errors name the path in the sweep file: `grid[1].scheduler`,
 * `grid[1].steps`, `grid[0].steps[2]` for a list's third value.
 */
function resolveSetting(pipeline: OmnidecodePipeline, setting: GridSetting): SweepScheduler {
  const nameSource = `${setting.path}.scheduler`;
  try {
    pipeline.schedulers.get(setting.scheduler);
  } catch (error) {
    if (!(error instanceof UnknownSchedulerError)) throw error;
    const hint = error.providedBy === undefined ? '' : `; it comes with the plugin ${error.providedBy}: add it to the sweep file's plugins: [${error.providedBy}]`;
    throw new ConfigError(nameSource, setting.scheduler, error.expected,
      `${nameSource}: unknown scheduler "${setting.scheduler}"; registered schedulers: ${pipeline.schedulers.names().join(', ')}${hint}`);
  }
  const sourced = new SourcedOptions();
  for (const value of setting.values) sourced.set(value.key, value.value, value.source);
  sourced.validate(pipeline.schedulers, setting.scheduler, 'image', nameSource);
  try {
    const chosen = pipeline.schedulerFor('image', { name: setting.scheduler, options: sourced.options });
    return { name: chosen.name, options: { ...chosen.options } };
  } catch (error) {
    // The model's own limits (steps past the image's tokens) name the bare parameter: point at the file.
    if (error instanceof ConfigError && !error.what.startsWith(setting.path)) {
      const key = error.what.startsWith(`${setting.scheduler}.`) ? error.what.slice(setting.scheduler.length + 1) : error.what;
      const source = sourced.sourceOf(key) ?? `${setting.path}.${key}`;
      throw new ConfigError(source, error.got, error.expected, `${source}: ${error.message}`);
    }
    throw error;
  }
}

/**
 * Every grid setting validated, in grid order. Two settings that decode the same way (equal name and
 * options once the model's defaults are filled in) are refused: their jobs would be the same jobs.
 */
export function resolveSettings(pipeline: OmnidecodePipeline, grid: readonly GridSetting[]): SweepSetting[] {
  const seen = new Map<string, SweepSetting>();
  return grid.map((setting, index) => {
    const scheduler = resolveSetting(pipeline, setting);
    const label = settingLabel(setting.scheduler, setting.values);
    const key = `${scheduler.name}\u0000${canonicalJson(scheduler.options)}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new ConfigError(setting.path, label, 'a setting that differs from every other',
        `${setting.path}: "${label}" decodes exactly as "${earlier.label}" (${earlier.path}) once the model's defaults are filled in; ` +
        'the two would run the same jobs: remove one');
    }
    const resolved: SweepSetting = { index, label, scheduler, path: setting.path };
    seen.set(key, resolved);
    return resolved;
  });
}
