import {
  CommitList, ConfigError, ParallelDraws, customParameter, defineParameters, defineScheduler, guidanceParameters, guidanceSetting,
  numberParameter, samplerParameter,
  type DecodeScheduler, type GuidanceSetting, type ParametersOf, type SchedulerContext, type StepDecision, type StepInfo, type StepLogits,
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
 * position and commits all whose probability (under the guided, processed logits) reaches τ, and
 * always at least the single most confident one, so a step never stalls.
 */
export class ThresholdScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance: GuidanceSetting | null;
  private context!: SchedulerContext;
  private draws!: ParallelDraws;
  private commits!: CommitList;
  /** Per row: log p of each position's drawn token (views of the draws' buffer): the confidence. */
  private confidence: Float64Array[] = [];

  constructor(private readonly options: ThresholdOptions) {
    this.guidance = guidanceSetting(options);
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
    this.draws = new ParallelDraws(context, context.createSampler(this.options.sampler));
    this.commits = new CommitList(context.canvas.rows * context.canvas.length);
    const { rows, length } = context.canvas;
    this.confidence = Array.from({ length: rows }, (_, row) => this.draws.logProb.subarray(row * length, (row + 1) * length));
  }

  step(logits: StepLogits, info: StepInfo): StepDecision {
    const { canvas } = this.context;
    const { maxSteps, threshold } = this.options;
    const last = maxSteps !== null && info.index >= maxSteps - 1;
    const commits = this.commits.clear();
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const unknown = this.draws.drawRow(logits, row);
      if (unknown === 0) continue;
      const confidence = this.confidence[row] as Float64Array;
      let sure = 0;
      for (let i = 0; i < unknown; i++) if (Math.exp(confidence[this.draws.order[i] as number] as number) >= threshold) sure += 1;
      // The positions at or above τ are exactly the `sure` most confident ones.
      const count = last ? unknown : Math.max(1, sure);
      this.draws.commitHighest(commits, row, confidence, count);
      remaining += unknown - count;
    }
    return { commits, preview: this.draws.preview, done: remaining === 0 };
  }
}

export const thresholdDefinition = defineScheduler({
  name: 'threshold',
  description: 'Fast-dLLM parallel decoding: each step commits every masked token with probability >= threshold (at least one).',
  modalities: ['text', 'image'],
  parameters: thresholdParameters,
  scheduler: ThresholdScheduler,
});
