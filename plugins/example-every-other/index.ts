import {
  defineParameters, defineScheduler, integerParameter,
  type DecodeScheduler, type ParametersOf, type PluginApi, type SchedulerContext, type StepInfo, type StepLogits,
} from 'omnidecode';

const parameters = defineParameters({
  stride: integerParameter({ default: 2, min: 1, description: 'Step s commits positions s, s + stride, s + 2·stride, ...' }),
});

/** Block decoding in `stride` steps: step s fills every position p with p % stride === s by argmax. */
class EveryOtherScheduler implements DecodeScheduler {
  readonly mode = 'block' as const; // the whole segment is fed every step
  readonly needsUnconditional = false; // no classifier-free guidance
  private context!: SchedulerContext;

  constructor(private readonly options: ParametersOf<typeof parameters.shape>) {}

  plannedSteps(): number { return this.options.stride; }

  begin(context: SchedulerContext): void { this.context = context; }

  step(logits: StepLogits, info: StepInfo): boolean {
    const { canvas, candidates } = this.context;
    for (let row = 0; row < canvas.rows; row++) {
      for (let position = info.index; position < canvas.length; position += this.options.stride) {
        const at = row * canvas.length + position;
        if (canvas.known[at] === 1) continue; // given tokens never change
        const offset = logits.offset(row, position) + candidates.offset;
        let best = 0;
        for (let i = 1; i < candidates.count; i++) if ((logits.data[offset + i] as number) > (logits.data[offset + best] as number)) best = i;
        canvas.tokens[at] = canvas.preview[at] = candidates.offset + best;
        canvas.known[at] = 1;
      }
    }
    return info.index + 1 >= this.options.stride; // true: the segment is complete
  }
}

export function register(api: PluginApi): void {
  api.registerScheduler(defineScheduler({
    name: 'every-other', description: 'Example: argmax at even positions, then odd ones.',
    modalities: ['image', 'text'], parameters, scheduler: EveryOtherScheduler,
  }));
}
