import { defineParameters, integerParameter, numberParameter } from '../config/parameter-schema.ts';
import type { LogitsProcessorDefinition } from './logits-processor-definition.ts';
import { MinPProcessor } from './min-p-processor.ts';
import { RepetitionPenaltyProcessor } from './repetition-penalty-processor.ts';
import { TemperatureProcessor } from './temperature-processor.ts';
import { TopKProcessor } from './top-k-processor.ts';
import { TopPProcessor } from './top-p-processor.ts';

export const temperatureProcessorDefinition: LogitsProcessorDefinition<{ temperature: number }> = {
  name: 'temperature',
  description: 'Divides logits by a temperature: < 1 sharpens, > 1 flattens.',
  parameters: defineParameters({
    temperature: numberParameter({ default: 1, min: 0, minExclusive: true, description: 'The divisor, > 0.' }),
  }),
  create: (options) => new TemperatureProcessor(options.temperature),
  source: 'built-in',
};

export const topKProcessorDefinition: LogitsProcessorDefinition<{ k: number }> = {
  name: 'top-k',
  description: 'Keeps the k largest logits (ties at the k-th value kept) and blocks the rest.',
  parameters: defineParameters({
    k: integerParameter({ default: 50, min: 1, description: 'How many tokens to keep.' }),
  }),
  create: (options) => new TopKProcessor(options.k),
  source: 'built-in',
};

export const topPProcessorDefinition: LogitsProcessorDefinition<{ p: number }> = {
  name: 'top-p',
  description: 'Nucleus filtering: keeps the most likely tokens until their probability mass reaches p.',
  parameters: defineParameters({
    p: numberParameter({ default: 0.9, min: 0, minExclusive: true, max: 1, description: 'The mass to keep, in (0, 1].' }),
  }),
  create: (options) => new TopPProcessor(options.p),
  source: 'built-in',
};

export const minPProcessorDefinition: LogitsProcessorDefinition<{ minP: number }> = {
  name: 'min-p',
  description: 'Blocks tokens less likely than minP times the most likely token.',
  parameters: defineParameters({
    minP: numberParameter({ default: 0.05, min: 0, max: 1, description: 'The relative probability floor, in [0, 1].' }),
  }),
  create: (options) => new MinPProcessor(options.minP),
  source: 'built-in',
};

export const repetitionPenaltyProcessorDefinition: LogitsProcessorDefinition<{ penalty: number }> = {
  name: 'repetition-penalty',
  description: 'CTRL-style penalty on tokens already in the row: positive logits divided, others multiplied.',
  parameters: defineParameters({
    penalty: numberParameter({ default: 1.1, min: 0, minExclusive: true, description: 'The penalty, > 0 (> 1 discourages repeats).' }),
  }),
  create: (options) => new RepetitionPenaltyProcessor(options.penalty),
  source: 'built-in',
};

/** Every built-in processor definition, in the order a sampler chain applies them. */
export const builtInLogitsProcessors: readonly LogitsProcessorDefinition[] = [
  repetitionPenaltyProcessorDefinition,
  temperatureProcessorDefinition,
  topKProcessorDefinition,
  topPProcessorDefinition,
  minPProcessorDefinition,
];
