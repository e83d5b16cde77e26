import { inject, injectable } from 'tsyringe';
import { booleanParameter, defineParameters, stringListParameter, type ParametersOf } from '../core/config/parameter-schema.ts';
import { SCHEDULER_OPTIONS } from '../core/injection-tokens.ts';
import { applyClassifierFreeGuidance } from '../core/sampling/classifier-free-guidance.ts';
import type { ProcessorContext } from '../core/sampling/logits-processor.ts';
import { Sampler } from '../core/sampling/sampler.ts';
import type { DecodeScheduler, SchedulerContext, SchedulerDefinition, StepInfo, StepLogits } from '../core/scheduler.ts';
import { guidanceParameters } from './guidance-parameters.ts';
import { samplerParameter } from './sampler-parameter.ts';

export const autoregressiveParameters = defineParameters({
  stopAtEos: booleanParameter({ default: true, description: 'Text: a row stops when it emits the EOS token.' }),
  stopStrings: stringListParameter({ default: [], description: 'Text: a row stops once its decoded text contains one of these.' }),
  ...guidanceParameters,
  sampler: samplerParameter({}, 'How each next token is drawn (use draw: greedy for deterministic argmax).'),
});

export type AutoregressiveOptions = ParametersOf<typeof autoregressiveParameters.shape>;

interface RowHistory extends ProcessorContext {
  historyLength: number;
}

/**
 * Left-to-right decoding, one position per step, fed to the model after a growing KV cache
 * (the engine's append mode). Works for text and, with causal image attention, raster-order images.
 */
@injectable()
export class AutoregressiveScheduler implements DecodeScheduler {
  readonly mode = 'append' as const;
  readonly needsUnconditional: boolean;
  private sampler!: Sampler;
  private context!: SchedulerContext;
  private histories: RowHistory[] = [];
  private remaining = 0;

  constructor(@inject(SCHEDULER_OPTIONS) private readonly options: AutoregressiveOptions) {
    this.needsUnconditional = options.guidance > 0;
  }

  plannedSteps(context: SchedulerContext): number {
    return context.canvas.length;
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    this.sampler = context.createSampler(this.options.sampler);
    const { canvas } = context;
    this.histories = [];
    for (let row = 0; row < canvas.rows; row++) {
      this.histories.push({
        history: canvas.tokens.subarray(row * canvas.length, (row + 1) * canvas.length), historyLength: 0, columnOffset: context.candidates.offset,
      });
    }
    this.remaining = canvas.rows;
  }

  step(logits: StepLogits, info: StepInfo): boolean {
    const { canvas, candidates, rng, vocabulary, modality } = this.context;
    const position = info.position;
    const { guidance, guidanceForm } = this.options;
    for (let row = 0; row < canvas.rows; row++) {
      const index = row * canvas.length + position;
      const history = this.histories[row] as RowHistory;
      history.historyLength = position;
      if (canvas.known[index] === 1 || canvas.finished[row] === 1) continue;
      const offset = logits.offset(row, position) + candidates.offset;
      if (guidance > 0) {
        applyClassifierFreeGuidance(logits.data, offset, logits.unconditionalOffset(row, position) + candidates.offset, candidates.count, guidance, guidanceForm);
      }
      const token = candidates.offset + this.sampler.sample(logits.data, offset, candidates.count, rng, history);
      canvas.tokens[index] = token;
      canvas.preview[index] = token;
      canvas.known[index] = 1;
      if (modality === 'text' && this.stops(row, position, token, vocabulary.eosTokenId)) {
        canvas.finished[row] = 1;
        this.remaining -= 1;
      }
    }
    return this.remaining === 0 || position >= canvas.length - 1;
  }

  private stops(row: number, position: number, token: number, eos: number): boolean {
    const { canvas, decodeText } = this.context;
    if (this.options.stopAtEos && token === eos) {
      canvas.ends[row] = position;
      return true;
    }
    if (this.options.stopStrings.length === 0 || decodeText === undefined) return false;
    const text = decodeText(canvas.tokens.subarray(row * canvas.length, row * canvas.length + position + 1));
    if (this.options.stopStrings.some((stop) => text.includes(stop))) {
      canvas.ends[row] = position + 1;
      return true;
    }
    return false;
  }
}

export const autoregressiveDefinition: SchedulerDefinition = {
  name: 'autoregressive',
  description: 'Left-to-right, one token per forward with a KV cache; stops on EOS, max tokens or stop strings.',
  modalities: ['text', 'image'],
  parameters: autoregressiveParameters,
  scheduler: AutoregressiveScheduler,
};
