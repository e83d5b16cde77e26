import { ConfigError } from '../errors.ts';
import {
  customParameter,
  defineParameters,
  enumParameter,
  numberParameter,
  optionalNumberParameter,
} from '../config/parameter-schema.ts';
import { CategoricalDraw } from './categorical-draw.ts';
import type { TokenDraw, TokenDrawName } from './draw.ts';
import { GreedyDraw } from './greedy-draw.ts';
import { GumbelMaxDraw } from './gumbel-max-draw.ts';
import { EMPTY_PROCESSOR_CONTEXT, type LogitsProcessor, type ProcessorContext } from './logits-processor.ts';
import { LogitsProcessorChain } from './logits-processor-chain.ts';
import { MinPProcessor } from './min-p-processor.ts';
import { RepetitionPenaltyProcessor } from './repetition-penalty-processor.ts';
import type { SeededRandom } from './seeded-random.ts';
import { logSumExp } from './log-softmax.ts';
import { TemperatureProcessor } from './temperature-processor.ts';
import { TopKProcessor } from './top-k-processor.ts';
import { TopPProcessor } from './top-p-processor.ts';

export interface SamplerOptions {
  temperature: number;
  topK: number | null;
  topP: number | null;
  minP: number | null;
  repetitionPenalty: number | null;
  draw: TokenDrawName;
  /** Registered logits processors (built-in or from plugins) run after the ones above, in order. */
  processors: ProcessorSpec[];
}

/** Options as code may give them: `processors` may be left out. */
export type SamplerInput = Omit<SamplerOptions, 'processors'> & { processors?: ProcessorSpec[] };

/** A registered logits processor by name, with its parameters. */
export interface ProcessorSpec {
  readonly name: string;
  readonly [parameter: string]: unknown;
}

export const samplerParameters = defineParameters({
  temperature: numberParameter({
    default: 1, min: 0, minExclusive: true,
    description: 'Divides logits before drawing; < 1 sharpens, > 1 flattens. 1 disables it.',
  }),
  topK: customParameter<number | null>({
    default: null, constraint: 'an integer >= 1, or null',
    description: 'Keep only the k most likely tokens; null disables it.',
    parse(value, field) {
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw new ConfigError(field, value, 'an integer >= 1, or null');
      }
      return value;
    },
  }),
  topP: optionalNumberParameter({
    default: null, min: 0, minExclusive: true, max: 1,
    description: 'Nucleus sampling: keep the most likely tokens until their mass reaches p; null disables it.',
  }),
  minP: optionalNumberParameter({
    default: null, min: 0, max: 1,
    description: 'Drop tokens less likely than minP times the most likely one; null disables it.',
  }),
  repetitionPenalty: optionalNumberParameter({
    default: null, min: 0, minExclusive: true,
    description: 'CTRL-style penalty on tokens already in the row (> 1 discourages repeats); null disables it.',
  }),
  draw: enumParameter({
    values: ['greedy', 'categorical', 'gumbel-max'] as const, default: 'categorical',
    description: 'How a token is picked from the processed logits.',
  }),
  processors: customParameter<ProcessorSpec[]>({
    default: [], constraint: 'a list of { name, ...parameters } naming registered logits processors',
    description: 'Extra registered logits processors (e.g. from plugins), applied after the built-in options.',
    parse(value, field) {
      if (!Array.isArray(value)) throw new ConfigError(field, value, 'a list of { name, ...parameters }');
      return value.map((item: unknown, index) => {
        if (item === null || typeof item !== 'object' || typeof (item as { name?: unknown }).name !== 'string') {
          throw new ConfigError(`${field}[${index}]`, item, 'an object with a processor name, e.g. { "name": "top-k", "k": 20 }');
        }
        return item as ProcessorSpec;
      });
    },
  }),
});

function createDraw(name: TokenDrawName): TokenDraw {
  switch (name) {
    case 'greedy': return new GreedyDraw();
    case 'categorical': return new CategoricalDraw();
    case 'gumbel-max': return new GumbelMaxDraw();
  }
}

/**
 * Processes a logits slice in place with the configured chain, then draws one token from it.
 * Options that would be no-ops (temperature 1, null filters) add no processor to the chain.
 */
/** One draw: the column within the candidate slice and its log probability under the processed slice. */
export interface SampledToken {
  column: number;
  logProb: number;
}

export class Sampler {
  readonly options: Readonly<SamplerOptions>;
  readonly chain: LogitsProcessorChain;
  readonly tokenDraw: TokenDraw;

  /** `registered`: the named processors, already built (SchedulerContext.createSampler resolves them). */
  constructor(options: SamplerInput, registered?: readonly LogitsProcessor[]) {
    // Re-validate: options may come from code rather than a parsed config.
    const checked = samplerParameters.parse(options, 'sampler');
    if (checked.processors.length > 0 && registered === undefined) {
      throw new ConfigError('sampler.processors', checked.processors.map((spec) => spec.name),
        'a sampler built with context.createSampler(options), which resolves registered processors');
    }
    this.options = Object.freeze(checked);
    const processors: LogitsProcessor[] = [];
    // Penalty first, on unscaled logits, as in the usual (CTRL / transformers) order.
    if (checked.repetitionPenalty !== null && checked.repetitionPenalty !== 1) {
      processors.push(new RepetitionPenaltyProcessor(checked.repetitionPenalty));
    }
    if (checked.temperature !== 1) processors.push(new TemperatureProcessor(checked.temperature));
    if (checked.topK !== null) processors.push(new TopKProcessor(checked.topK));
    if (checked.topP !== null && checked.topP < 1) processors.push(new TopPProcessor(checked.topP));
    if (checked.minP !== null && checked.minP > 0) processors.push(new MinPProcessor(checked.minP));
    processors.push(...(registered ?? []));
    this.chain = new LogitsProcessorChain(processors);
    this.tokenDraw = createDraw(checked.draw);
  }

  /**
   * Processes the slice in place, draws a column and returns it with its log p under the processed
   * slice, in `out` (reused by hot loops: nothing is allocated per draw). Nothing carries over to the
   * next draw; the categorical draw's normalizer is reused within this call only.
   */
  draw(
    logits: Float32Array,
    offset: number,
    count: number,
    rng: SeededRandom,
    context: ProcessorContext = EMPTY_PROCESSOR_CONTEXT,
    out: SampledToken = { column: 0, logProb: 0 },
  ): SampledToken {
    this.chain.process(logits, offset, count, context);
    const column = this.tokenDraw.draw(logits, offset, count, rng);
    const normalizer = this.tokenDraw.lastLogNormalizer;
    out.column = column;
    out.logProb = (logits[offset + column] as number) - (Number.isNaN(normalizer) ? logSumExp(logits, offset, count) : normalizer);
    return out;
  }

  /** The column only (no log p): processes the slice in place and draws. */
  sample(
    logits: Float32Array,
    offset: number,
    count: number,
    rng: SeededRandom,
    context: ProcessorContext = EMPTY_PROCESSOR_CONTEXT,
  ): number {
    this.chain.process(logits, offset, count, context);
    return this.tokenDraw.draw(logits, offset, count, rng);
  }
}
