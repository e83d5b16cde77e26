import {
  CommitList, defineParameters, defineScheduler, integerParameter,
  type DecodeScheduler, type ParametersOf, type PluginApi, type SchedulerContext, type StepDecision, type StepInfo, type StepLogits,
} from 'omnidecode';

const parameters = defineParameters({
  stride: integerParameter({ default: 2, min: 1, description: 'Step s commits positions s, s + stride, s + 2·stride, ...' }),
});

/** Block decoding in `stride` steps: step s fills every position p with p % stride === s by argmax. */
class EveryOtherScheduler implements DecodeScheduler {
  readonly mode = 'block' as const; // the whole segment is fed every step
  readonly guidance = null; // no classifier-free guidance (the engine applies it when set)
  private context!: SchedulerContext;
  private commits!: CommitList;

  constructor(private readonly options: ParametersOf<typeof parameters.shape>) {}

  plannedSteps(): number { return this.options.stride; }

  begin(context: SchedulerContext): void {
    this.context = context;
    this.commits = new CommitList(context.canvas.rows * context.canvas.length); // reused every step
  }

  step(logits: StepLogits, info: StepInfo): StepDecision {
    const { canvas, candidates } = this.context; // read only: the engine writes the canvas
    const commits = this.commits.clear();
    for (let row = 0; row < canvas.rows; row++) {
      for (let position = info.index; position < canvas.length; position += this.options.stride) {
        if (canvas.known[row * canvas.length + position] === 1) continue; // given, committed or padded: never again
        const offset = logits.offset(row, position) + candidates.offset;
        let best = 0;
        for (let i = 1; i < candidates.count; i++) if ((logits.data[offset + i] as number) > (logits.data[offset + best] as number)) best = i;
        commits.push(row, position, candidates.offset + best); // a unified id: candidates.offset + column
      }
    }
    // preview null: no guess beyond the commits; done: nothing more to commit after the last stride.
    return { commits, preview: null, done: info.index + 1 >= this.options.stride };
  }
}

export function register(api: PluginApi): void {
  api.registerScheduler(defineScheduler({
    name: 'every-other', description: 'Example: argmax at even positions, then odd ones.',
    modalities: ['image', 'text'], parameters, scheduler: EveryOtherScheduler,
  }));
}
