import {
  type Sampler, applyClassifierFreeGuidance, defineParameters, enumParameter,
  guidanceParameters, scheduleParameter, integerParameter, MaskCountPlan, resolveMaskSchedule, samplerParameter,
  type DecodeScheduler, type ParameterSchema, type ParametersOf, type SchedulerContext, type StepInfo, type StepLogits,
} from 'omnidecode';

/** Each step is a forward of the whole segment; past this many a run takes minutes and gains nothing. */
const MAX_STEPS = 4096;

const rankedFields = defineParameters({
  steps: integerParameter({ default: 12, min: 1, max: MAX_STEPS, description: 'Denoising steps T; the last one commits every position left.' }),
  schedule: scheduleParameter('cosine', 'Fraction still masked after progress t = (step+1)/T.'),
  maskCount: enumParameter({
    values: ['full', 'unknown'] as const, default: 'full',
    description: 'Count masked tokens relative to the full segment (Show-o) or to the initially unknown ones (MaskGIT).',
  }),
  ...guidanceParameters,
  sampler: samplerParameter({ draw: 'greedy' }, 'How each masked position picks its token; ranking uses the processed logits (as Dream does).'),
});

/**
 * Parameters shared by the margin and entropy schedulers: maskgit's count schedule, a greedy
 * sampler; the schedule is checked at exactly the t = (s+1)/steps a run will use.
 */
export const rankedParameters: ParameterSchema<typeof rankedFields.shape> = {
  ...rankedFields,
  parse(raw, owner) {
    const options = rankedFields.parse(raw, owner);
    resolveMaskSchedule(options.schedule, `${owner}.schedule`, options.steps);
    return options;
  },
};

export type RankedOptions = ParametersOf<typeof rankedParameters.shape>;

/**
 * MaskGIT's loop with a deterministic ranking: each step draws a token for every masked position,
 * scores the position from its (processed) distribution, commits the best-scored as the count
 * schedule allows and re-masks the rest. Subclasses say only how a distribution is scored.
 */
export abstract class ConfidenceRankedScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly needsUnconditional: boolean;
  private readonly plan: MaskCountPlan;
  private sampler!: Sampler;
  private context!: SchedulerContext;
  private score = new Float64Array(0);
  private order: number[] = [];

  constructor(private readonly options: RankedOptions) {
    this.needsUnconditional = options.guidance > 0;
    this.plan = new MaskCountPlan(options.steps, options.schedule, options.maskCount);
  }

  /** Higher is surer: positions with the highest scores are committed first. */
  protected abstract scoreDistribution(data: Float32Array, offset: number, count: number): number;

  plannedSteps(): number {
    return this.options.steps;
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    // Built here so sampler.processors resolve against registered (plugin) processors.
    this.sampler = context.createSampler(this.options.sampler);
    this.plan.begin(context.canvas);
    this.score = new Float64Array(context.canvas.length);
  }

  /** Positions left masked after `step` (maskgit's clamp to [1, unknown − 1] before the last step). */
  maskedAfter(step: number, unknownNow: number, row: number): number {
    return this.plan.maskedAfter(step, unknownNow, row);
  }

  step(logits: StepLogits, info: StepInfo): boolean {
    const { canvas, candidates, rng } = this.context;
    const { length } = canvas;
    const { guidance, guidanceForm } = this.options;
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const base = row * length;
      this.order.length = 0;
      for (let position = 0; position < length; position++) {
        if (canvas.known[base + position] === 1) continue;
        const offset = logits.offset(row, position) + candidates.offset;
        if (guidance > 0) {
          applyClassifierFreeGuidance(logits.data, offset, logits.unconditionalOffset(row, position) + candidates.offset, candidates.count, guidance, guidanceForm);
        }
        canvas.preview[base + position] = candidates.offset + this.sampler.sample(logits.data, offset, candidates.count, rng);
        this.score[position] = this.scoreDistribution(logits.data, offset, candidates.count);
        this.order.push(position);
      }
      const keepMasked = this.maskedAfter(info.index, this.order.length, row);
      // Best first; equal scores go left to right, so a flat model decodes in reading order.
      this.order.sort((a, b) => (this.score[b] as number) - (this.score[a] as number) || a - b);
      for (let i = 0; i < this.order.length - keepMasked; i++) {
        const position = this.order[i] as number;
        canvas.tokens[base + position] = canvas.preview[base + position] as number;
        canvas.known[base + position] = 1;
      }
      remaining += keepMasked;
    }
    return remaining === 0;
  }
}
