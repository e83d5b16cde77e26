import {
  ConfigError, type Sampler, applyClassifierFreeGuidance, customParameter, defineParameters, defineScheduler, guidanceParameters,
  logSumExp, numberParameter, samplerParameter,
  type DecodeScheduler, type ParametersOf, type SchedulerContext, type StepInfo, type StepLogits,
} from 'omnidecode';

/** Every step commits at least one token, so a cap above this only says "no cap". */
const MAX_STEPS = 4096;

export const thresholdParameters = defineParameters({
  threshold: numberParameter({
    default: 0.9, min: 0, minExclusive: true, max: 1,
    description: 'Commit every masked position whose drawn token has probability >= this (Fast-dLLM\'s τ).',
  }),
  maxSteps: customParameter<number | null>({
    default: null, constraint: `an integer >= 1 and <= ${MAX_STEPS}, or null`,
    description: 'Step cap: step maxSteps commits everything left; null runs until done (at most one step per token).',
    parse(value, field) {
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ConfigError(field, value, 'an integer >= 1, or null');
      if (value > MAX_STEPS) throw new ConfigError(field, value, `an integer <= ${MAX_STEPS}, or null`);
      return value;
    },
  }),
  ...guidanceParameters,
  sampler: samplerParameter({ draw: 'greedy' }, 'How each masked position draws its candidate (Fast-dLLM: argmax).'),
});

export type ThresholdOptions = ParametersOf<typeof thresholdParameters.shape>;

/**
 * Fast-dLLM's confidence-aware parallel decoding: each step draws a token for every masked
 * position and commits all whose probability under the guided logits reaches τ, and always at
 * least the single most confident one, so a step never stalls.
 */
export class ThresholdScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly needsUnconditional: boolean;
  private sampler!: Sampler;
  private context!: SchedulerContext;
  /** The sampler's processors work in place; drawing from a copy keeps the guided logits for p. */
  private scratch = new Float32Array(0);
  private confidence = new Float64Array(0);

  constructor(private readonly options: ThresholdOptions) {
    this.needsUnconditional = options.guidance > 0;
  }

  plannedSteps(context: SchedulerContext): number {
    const { canvas } = context;
    let most = 0;
    for (let row = 0; row < canvas.rows; row++) {
      let unknown = 0;
      for (let position = 0; position < canvas.length; position++) unknown += canvas.known[row * canvas.length + position] === 0 ? 1 : 0;
      most = Math.max(most, unknown);
    }
    return Math.max(1, Math.min(most, this.options.maxSteps ?? most));
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    // Built here so sampler.processors resolve against registered (plugin) processors.
    this.sampler = context.createSampler(this.options.sampler);
    this.scratch = new Float32Array(context.candidates.count);
    this.confidence = new Float64Array(context.canvas.length);
  }

  step(logits: StepLogits, info: StepInfo): boolean {
    const { canvas, candidates, rng } = this.context;
    const { length } = canvas;
    const { guidance, guidanceForm, threshold, maxSteps } = this.options;
    const last = maxSteps !== null && info.index >= maxSteps - 1;
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const base = row * length;
      let best = -1;
      for (let position = 0; position < length; position++) {
        if (canvas.known[base + position] === 1) continue;
        const offset = logits.offset(row, position) + candidates.offset;
        if (guidance > 0) {
          applyClassifierFreeGuidance(logits.data, offset, logits.unconditionalOffset(row, position) + candidates.offset, candidates.count, guidance, guidanceForm);
        }
        for (let i = 0; i < candidates.count; i++) this.scratch[i] = logits.data[offset + i] as number;
        const column = this.sampler.sample(this.scratch, 0, candidates.count, rng);
        this.confidence[position] = Math.exp((logits.data[offset + column] as number) - logSumExp(logits.data, offset, candidates.count));
        canvas.preview[base + position] = candidates.offset + column;
        if (best < 0 || (this.confidence[position] as number) > (this.confidence[best] as number)) best = position;
      }
      if (best < 0) continue;
      for (let position = 0; position < length; position++) {
        if (canvas.known[base + position] === 1) continue;
        if (last || position === best || (this.confidence[position] as number) >= threshold) {
          canvas.tokens[base + position] = canvas.preview[base + position] as number;
          canvas.known[base + position] = 1;
        } else {
          remaining += 1;
        }
      }
    }
    return remaining === 0;
  }
}

export const thresholdDefinition = defineScheduler({
  name: 'threshold',
  description: 'Fast-dLLM parallel decoding: each step commits every masked token with probability >= threshold (at least one).',
  modalities: ['text', 'image'],
  parameters: thresholdParameters,
  scheduler: ThresholdScheduler,
});
