import { customParameter, type ParameterSpec } from '../core/config/parameter-schema.ts';
import { ConfigError } from '../core/errors.ts';
import { NAMED_SCHEDULES, resolveMaskSchedule } from './mask-schedule.ts';

/**
 * A mask-schedule option (a name or an expression in t), validated when the config loads. The
 * scheduler's whole-options parse checks it again at the t values its step count gives.
 */
export function scheduleParameter(fallback: string, description: string): ParameterSpec<string> {
  return customParameter<string>({
    default: fallback, description,
    constraint: `${NAMED_SCHEDULES.join(', ')}, or an expression in t within [0, 1] (arithmetic, comparisons, a ? b : c, scalar functions such as cos, exp, min)`,
    parse: (value, field) => {
      if (typeof value !== 'string') throw new ConfigError(field, value, 'a schedule name or an expression in t (a string)');
      resolveMaskSchedule(value, field);
      return value;
    },
  });
}
