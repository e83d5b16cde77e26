import { customParameter } from '../core/config/parameter-schema.ts';
import { samplerParameters, type SamplerOptions } from '../core/sampling/sampler.ts';

/** A nested `sampler` object (temperature, topK, topP, minP, repetitionPenalty, draw) with defaults. */
export function samplerParameter(defaults: Partial<SamplerOptions>, description: string) {
  const fallback = samplerParameters.parse(defaults, 'sampler') as SamplerOptions;
  return customParameter<SamplerOptions>({
    default: fallback, description,
    constraint: `{ ${samplerParameters.describe().map((item) => `${item.name}: ${item.constraint}`).join('; ')} }`,
    parse: (value, field) => samplerParameters.parse({ ...defaults, ...(value as object) }, field) as SamplerOptions,
  });
}
