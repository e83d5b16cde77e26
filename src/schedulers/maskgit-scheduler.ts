import { inject, injectable } from 'tsyringe';
import { defineParameters, enumParameter, integerParameter, numberParameter, type ParameterSchema, type ParametersOf } from '../core/config/parameter-schema.ts';
import { SCHEDULER_OPTIONS } from '../core/injection-tokens.ts';
import { CommitList } from '../core/commit-list.ts';
import type { DecodeScheduler, GuidanceSetting, SchedulerContext, SchedulerDefinition, StepDecision, StepInfo, StepLogits } from '../core/scheduler.ts';
import { guidanceParameters, guidanceSetting } from './guidance-parameters.ts';
import { progressAfter, resolveMaskSchedule } from './mask-schedule.ts';
import { scheduleParameter } from './schedule-parameter.ts';
import { MaskCountPlan } from './mask-count-plan.ts';
import { samplerParameter } from './sampler-parameter.ts';
import { ParallelDraws } from './parallel-draws.ts';

/** Each step is a forward of the whole segment; past this many a run takes minutes and gains nothing. */
const MAX_STEPS = 4096;

const maskgitFields = defineParameters({
  steps: integerParameter({ default: 12, min: 1, max: MAX_STEPS, description: 'Denoising steps T; the last one commits every position left.' }),
  schedule: scheduleParameter('cosine', 'Fraction still masked after progress t = (step+1)/T.'),
  choiceTemperature: numberParameter({ default: 1, min: 0, description: 'Scale of the Gumbel noise added to log p before ranking (annealed to 0).' }),
  annealing: enumParameter({
    values: ['linear', 'compound'] as const, default: 'linear',
    description: 'linear: τ·(1 − r) (MaskGIT); compound: τ ← τ·(1 − r) every step (Show-o).',
  }),
  maskCount: enumParameter({
    values: ['full', 'unknown'] as const, default: 'full',
    description: 'Count masked tokens relative to the full segment (Show-o, aMUSEd) or to the initially unknown ones (MaskGIT).',
  }),
  ...guidanceParameters,
  sampler: samplerParameter({}, 'How each masked position draws its candidate token.'),
});

/** The fields, then the schedule checked at exactly the t = (s+1)/steps this run will use. */
export const maskgitParameters: ParameterSchema<typeof maskgitFields.shape> = {
  ...maskgitFields,
  parse(raw, owner) {
    const options = maskgitFields.parse(raw, owner);
    resolveMaskSchedule(options.schedule, `${owner}.schedule`, options.steps);
    return options;
  },
};

export type MaskgitOptions = ParametersOf<typeof maskgitParameters.shape>;

/**
 * MaskGIT / Show-o parallel decoding: every step draws all masked positions, ranks them by
 * log p + τ·Gumbel, and keeps the lowest masked as the schedule says; the rest are committed.
 */
@injectable()
export class MaskgitScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance: GuidanceSetting | null;
  private readonly plan: MaskCountPlan;
  private context!: SchedulerContext;
  private draws!: ParallelDraws;
  private commits!: CommitList;
  private confidence!: Float64Array;
  private temperature = 0;
  private readonly scoreDraw = (position: number, logProb: number): void => {
    this.confidence[position] = logProb + this.temperature * this.context.rng.gumbel();
  };

  constructor(@inject(SCHEDULER_OPTIONS) private readonly options: MaskgitOptions) {
    this.guidance = guidanceSetting(options);
    this.plan = new MaskCountPlan(options.steps, options.schedule, options.maskCount);
  }

  plannedSteps(): number {
    return this.options.steps;
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    this.draws = new ParallelDraws(context, context.createSampler(this.options.sampler));
    this.commits = new CommitList(context.canvas.rows * context.canvas.length);
    this.plan.begin(context.canvas);
    this.confidence = new Float64Array(context.canvas.length);
    this.temperature = this.options.choiceTemperature;
  }

  /** How many positions stay masked after `step` for a row (the clamp of Show-o's loop). */
  maskedAfter(step: number, unknownNow: number, row: number): number {
    return this.plan.maskedAfter(step, unknownNow, row);
  }

  step(logits: StepLogits, info: StepInfo): StepDecision {
    const { canvas } = this.context;
    const ratio = progressAfter(info.index, this.options.steps);
    this.temperature = this.options.annealing === 'compound'
      ? this.temperature * (1 - ratio)
      : this.options.choiceTemperature * (1 - ratio);
    const commits = this.commits.clear();
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const unknown = this.draws.drawRow(logits, row, undefined, this.scoreDraw);
      const keepMasked = this.maskedAfter(info.index, unknown, row);
      this.draws.commitAllButLowest(commits, row, this.confidence, keepMasked);
      remaining += keepMasked;
    }
    return { commits, preview: this.draws.preview, done: remaining === 0 };
  }
}

export const maskgitDefinition: SchedulerDefinition = {
  name: 'maskgit',
  description: 'MaskGIT / Show-o masked discrete diffusion: T parallel steps, lowest-confidence re-masking.',
  modalities: ['image', 'text'],
  parameters: maskgitParameters,
  scheduler: MaskgitScheduler,
};
