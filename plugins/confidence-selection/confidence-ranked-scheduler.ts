import {
  CommitList, MaskCountPlan, ParallelDraws, defineParameters, enumParameter, guidanceParameters, guidanceSetting, integerParameter,
  resolveMaskSchedule, samplerParameter, scheduleParameter, selectLowest,
  type DecodeScheduler, type GuidanceSetting, type ParameterSchema, type ParametersOf, type SchedulerContext, type StepDecision,
  type StepInfo, type StepLogits,
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
 * schedule allows and leaves the rest masked. Subclasses say only how a distribution is scored.
 */
export abstract class ConfidenceRankedScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance: GuidanceSetting | null;
  private readonly plan: MaskCountPlan;
  private context!: SchedulerContext;
  private draws!: ParallelDraws;
  private commits!: CommitList;
  /** By position: minus the score, so the surest rank lowest. */
  private rank = new Float64Array(0);

  constructor(private readonly options: RankedOptions) {
    this.guidance = guidanceSetting(options);
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
    this.draws = new ParallelDraws(context, context.createSampler(this.options.sampler));
    this.commits = new CommitList(context.canvas.rows * context.canvas.length);
    this.plan.begin(context.canvas);
    this.rank = new Float64Array(context.canvas.length);
  }

  /** Positions left masked after `step` (maskgit's clamp to [1, unknown − 1] before the last step). */
  maskedAfter(step: number, unknownNow: number, row: number): number {
    return this.plan.maskedAfter(step, unknownNow, row);
  }

  step(logits: StepLogits, info: StepInfo): StepDecision {
    const { canvas, candidates } = this.context;
    const { order, preview, logProb } = this.draws;
    const commits = this.commits.clear();
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const unknown = this.draws.drawRow(logits, row);
      // The draws processed each slice in place: the score reads the distribution the token came from.
      for (let i = 0; i < unknown; i++) {
        const position = order[i] as number;
        this.rank[position] = -this.scoreDistribution(logits.data, logits.offset(row, position) + candidates.offset, candidates.count);
      }
      const keepMasked = this.maskedAfter(info.index, unknown, row);
      // The best-scored first; equal scores go left to right (selectLowest breaks ties by the smaller
      // position), so a flat model decodes in reading order.
      const count = unknown - keepMasked;
      selectLowest(order, unknown, this.rank, count);
      const base = row * canvas.length;
      for (let i = 0; i < count; i++) {
        const position = order[i] as number;
        commits.push(row, position, preview[base + position] as number, logProb[base + position] as number);
      }
      remaining += keepMasked;
    }
    return { commits, preview: this.draws.preview, done: remaining === 0 };
  }
}
