import { inject, injectable } from 'tsyringe';
import { defineParameters, enumParameter, integerParameter, numberParameter, type ParameterSchema, type ParametersOf } from '../core/config/parameter-schema.ts';
import { SCHEDULER_OPTIONS } from '../core/injection-tokens.ts';
import { applyClassifierFreeGuidance } from '../core/sampling/classifier-free-guidance.ts';
import { Sampler } from '../core/sampling/sampler.ts';
import type { DecodeScheduler, SchedulerContext, SchedulerDefinition, StepInfo, StepLogits } from '../core/scheduler.ts';
import { guidanceParameters } from './guidance-parameters.ts';
import { progressAfter, resolveMaskSchedule } from './mask-schedule.ts';
import { scheduleParameter } from './schedule-parameter.ts';
import { MaskCountPlan } from './mask-count-plan.ts';
import { samplerParameter } from './sampler-parameter.ts';
import { selectLowest } from './select-lowest.ts';

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
 * MaskGIT / Show-o parallel decoding: every step samples all masked positions, ranks them by
 * log p + τ·Gumbel, and re-masks the lowest as the schedule says; known tokens never change.
 */
@injectable()
export class MaskgitScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly needsUnconditional: boolean;
  private readonly plan: MaskCountPlan;
  private sampler!: Sampler;
  private context!: SchedulerContext;
  private confidence!: Float64Array;
  private order!: Int32Array;
  private temperature = 0;

  constructor(@inject(SCHEDULER_OPTIONS) private readonly options: MaskgitOptions) {
    this.needsUnconditional = options.guidance > 0;
    this.plan = new MaskCountPlan(options.steps, options.schedule, options.maskCount);
  }

  plannedSteps(): number {
    return this.options.steps;
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    this.sampler = context.createSampler(this.options.sampler);
    this.plan.begin(context.canvas);
    const { length } = context.canvas;
    this.confidence = new Float64Array(length);
    this.order = new Int32Array(length);
    this.temperature = this.options.choiceTemperature;
  }

  /** How many positions stay masked after `step` for a row (the clamp of Show-o's loop). */
  maskedAfter(step: number, unknownNow: number, row: number): number {
    return this.plan.maskedAfter(step, unknownNow, row);
  }

  step(logits: StepLogits, info: StepInfo): boolean {
    const { canvas, candidates, rng } = this.context;
    const { length } = canvas;
    const { guidance, guidanceForm } = this.options;
    const ratio = progressAfter(info.index, this.options.steps);
    this.temperature = this.options.annealing === 'compound'
      ? this.temperature * (1 - ratio)
      : this.options.choiceTemperature * (1 - ratio);
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const base = row * length;
      let unknown = 0;
      for (let position = 0; position < length; position++) {
        if (canvas.known[base + position] === 1) continue;
        const offset = logits.offset(row, position) + candidates.offset;
        if (guidance > 0) {
          applyClassifierFreeGuidance(logits.data, offset, logits.unconditionalOffset(row, position) + candidates.offset, candidates.count, guidance, guidanceForm);
        }
        const column = this.sampler.sample(logits.data, offset, candidates.count, rng);
        const logProbability = this.sampler.logProbability(logits.data, offset, candidates.count, column);
        canvas.preview[base + position] = candidates.offset + column;
        this.confidence[position] = logProbability + this.temperature * rng.gumbel();
        this.order[unknown++] = position;
      }
      const keepMasked = this.maskedAfter(info.index, unknown, row);
      selectLowest(this.order, unknown, this.confidence, keepMasked);
      for (let i = keepMasked; i < unknown; i++) {
        const position = this.order[i] as number;
        canvas.tokens[base + position] = canvas.preview[base + position] as number;
        canvas.known[base + position] = 1;
      }
      remaining += keepMasked;
    }
    return remaining === 0;
  }
}

export const maskgitDefinition: SchedulerDefinition = {
  name: 'maskgit',
  description: 'MaskGIT / Show-o masked discrete diffusion: T parallel steps, lowest-confidence re-masking.',
  modalities: ['image', 'text'],
  parameters: maskgitParameters,
  scheduler: MaskgitScheduler,
};
