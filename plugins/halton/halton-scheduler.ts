import {
  CommitList, ConfigError, ParallelDraws, booleanParameter, defineParameters, defineScheduler, guidanceParameters, guidanceSetting,
  integerParameter, resolveMaskSchedule, samplerParameter, scheduleParameter,
  type DecodeScheduler, type GuidanceSetting, type ParameterSchema, type ParametersOf, type SchedulerContext, type StepDecision,
  type StepInfo, type StepLogits,
} from 'omnidecode';
import { haltonGridOrder, rollOrder, vanDerCorputOrder } from './halton-order.ts';

/** Each step is a forward of the whole segment; past this many a run takes minutes and gains nothing. */
const MAX_STEPS = 4096;

const haltonFields = defineParameters({
  steps: integerParameter({ default: 12, min: 1, description: `Denoising steps T (at most ${MAX_STEPS}); the last one reveals every position left.` }),
  schedule: scheduleParameter('arccos', 'Fraction of the initially unknown tokens still hidden after progress t = (step+1)/T (Halton-MaskGIT uses arccos).'),
  roll: booleanParameter({ default: false, description: 'Start each row at a random point of the sequence (Halton-MaskGIT\'s randomize).' }),
  ...guidanceParameters,
  sampler: samplerParameter({}, 'How each revealed position draws its token.'),
});

/** The fields, then what needs two of them: steps bounded, the schedule at each t = (s+1)/steps. */
export const haltonParameters: ParameterSchema<typeof haltonFields.shape> = {
  ...haltonFields,
  parse(raw, owner) {
    const options = haltonFields.parse(raw, owner);
    if (options.steps > MAX_STEPS) throw new ConfigError(`${owner}.steps`, options.steps, `an integer <= ${MAX_STEPS}`);
    resolveMaskSchedule(options.schedule, `${owner}.schedule`, options.steps);
    return options;
  },
};

export type HaltonOptions = ParametersOf<typeof haltonParameters.shape>;

/**
 * MaskGIT-style parallel decoding whose reveal order is fixed before the first step by a 2D
 * Halton sequence over the token grid (1D van der Corput for text or a segment that is not the
 * grid). No confidence ranking: the logits only choose tokens, never where they go.
 */
export class HaltonScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance: GuidanceSetting | null;
  private readonly schedule: (t: number) => number;
  private context!: SchedulerContext;
  private draws!: ParallelDraws;
  private commits!: CommitList;
  /** Per row: the reveal order with known positions removed. */
  private orders: Int32Array[] = [];
  /** Per row: how many entries of its order are revealed. */
  private revealed = new Int32Array(0);

  constructor(private readonly options: HaltonOptions) {
    this.guidance = guidanceSetting(options);
    this.schedule = resolveMaskSchedule(options.schedule, 'schedule', options.steps);
  }

  plannedSteps(): number {
    return this.options.steps;
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    // Built here so sampler.processors resolve against registered (plugin) processors.
    this.draws = new ParallelDraws(context, context.createSampler(this.options.sampler));
    const { canvas, grid } = context;
    this.commits = new CommitList(canvas.rows * canvas.length);
    const base = grid !== undefined && grid.height * grid.width === canvas.length
      ? haltonGridOrder(grid.height, grid.width)
      : vanDerCorputOrder(canvas.length);
    this.orders = [];
    for (let row = 0; row < canvas.rows; row++) {
      const order = this.options.roll ? rollOrder(base, Math.floor(context.rng.next() * canvas.length)) : base;
      // Known tokens are never changed, so they have no place in the order.
      this.orders.push(order.filter((position) => canvas.known[row * canvas.length + position] === 0));
    }
    this.revealed = new Int32Array(canvas.rows);
  }

  /** Cumulative reveals after `step` for a row with `unknown` initially hidden tokens (at least one more per step). */
  revealedAfter(step: number, unknown: number, before: number): number {
    if (step >= this.options.steps - 1) return unknown;
    // The epsilon keeps exact products (arccos at t = 1/2 gives 1/3 · 9) from flooring one short.
    const scheduled = Math.floor((1 - this.schedule((step + 1) / this.options.steps)) * unknown + 1e-9);
    return Math.min(unknown, Math.max(before + 1, step + 1, scheduled));
  }

  step(logits: StepLogits, info: StepInfo): StepDecision {
    const { canvas } = this.context;
    const commits = this.commits.clear();
    let remaining = 0;
    for (let row = 0; row < canvas.rows; row++) {
      const order = this.orders[row] as Int32Array;
      const before = this.revealed[row] as number;
      // A text row the engine stopped has nothing hidden left.
      if (before >= order.length || canvas.finished[row] === 1) continue;
      // Every hidden position gets a draw, in reveal order, so the preview shows the model's full guess.
      for (let i = before; i < order.length; i++) this.draws.draw(logits, row, order[i] as number);
      const after = this.revealedAfter(info.index, order.length, before);
      const base = row * canvas.length;
      for (let i = before; i < after; i++) {
        const position = order[i] as number;
        commits.push(row, position, this.draws.preview[base + position] as number, this.draws.logProb[base + position] as number);
      }
      this.revealed[row] = after;
      remaining += order.length - after;
    }
    return { commits, preview: this.draws.preview, done: remaining === 0 };
  }
}

export const haltonDefinition = defineScheduler({
  name: 'halton',
  description: 'Halton-MaskGIT: tokens revealed in a fixed 2D Halton order over the grid (no confidence), arccos count schedule.',
  modalities: ['image', 'text'],
  parameters: haltonParameters,
  scheduler: HaltonScheduler,
});
