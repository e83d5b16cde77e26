import { inject, injectable } from 'tsyringe';
import { CommitList } from '../core/commit-list.ts';
import { defineParameters, type ParametersOf } from '../core/config/parameter-schema.ts';
import { SCHEDULER_OPTIONS } from '../core/injection-tokens.ts';
import type { ProcessorContext } from '../core/sampling/logits-processor.ts';
import type { Sampler } from '../core/sampling/sampler.ts';
import type { DecodeScheduler, GuidanceSetting, SchedulerContext, SchedulerDefinition, StepDecision, StepInfo, StepLogits } from '../core/scheduler.ts';
import { guidanceParameters, guidanceSetting } from './guidance-parameters.ts';
import { samplerParameter } from './sampler-parameter.ts';

export const autoregressiveParameters = defineParameters({
  ...guidanceParameters,
  sampler: samplerParameter({}, 'How each next token is drawn (use draw: greedy for deterministic argmax).'),
});

export type AutoregressiveOptions = ParametersOf<typeof autoregressiveParameters.shape>;

interface RowHistory extends ProcessorContext {
  historyLength: number;
}

/**
 * Left-to-right decoding, one position per step, fed after a growing KV cache (the causal append
 * feed). Works for text and, with causal image attention, raster-order images. When a text row
 * stops (EOS, max tokens, stop strings) is the engine's call, from the segment's stop settings.
 */
@injectable()
export class AutoregressiveScheduler implements DecodeScheduler {
  readonly mode = 'append' as const;
  readonly guidance: GuidanceSetting | null;
  private sampler!: Sampler;
  private context!: SchedulerContext;
  private commits!: CommitList;
  private histories: RowHistory[] = [];

  constructor(@inject(SCHEDULER_OPTIONS) private readonly options: AutoregressiveOptions) {
    this.guidance = guidanceSetting(options);
  }

  plannedSteps(context: SchedulerContext): number {
    return context.canvas.length;
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    this.sampler = context.createSampler(this.options.sampler);
    const { canvas } = context;
    this.commits = new CommitList(canvas.rows);
    this.histories = [];
    for (let row = 0; row < canvas.rows; row++) {
      this.histories.push({
        history: canvas.tokens.subarray(row * canvas.length, (row + 1) * canvas.length), historyLength: 0, columnOffset: context.candidates.offset,
      });
    }
  }

  step(logits: StepLogits, info: StepInfo): StepDecision {
    const { canvas, candidates, rng } = this.context;
    const position = info.position;
    const commits = this.commits.clear();
    for (let row = 0; row < canvas.rows; row++) {
      const history = this.histories[row] as RowHistory;
      history.historyLength = position;
      if (canvas.known[row * canvas.length + position] === 1) continue;
      // The column only: nothing reads an AR commit's log p, and for a greedy draw it would cost a
      // log-sum-exp over every candidate each token (~12% of AR text wall time at 32k text ids).
      const column = this.sampler.sample(logits.data, logits.offset(row, position) + candidates.offset, candidates.count, rng, history);
      commits.push(row, position, candidates.offset + column);
    }
    return { commits, preview: null, done: position >= canvas.length - 1 };
  }
}

export const autoregressiveDefinition: SchedulerDefinition = {
  name: 'autoregressive',
  description: 'Left-to-right, one token per forward with a KV cache; the engine stops text rows (EOS, max tokens, stop strings).',
  modalities: ['text', 'image'],
  parameters: autoregressiveParameters,
  scheduler: AutoregressiveScheduler,
};
