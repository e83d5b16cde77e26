import {
  CommitList, ConfigError, ParallelDraws, customParameter, defineParameters, defineScheduler, enumParameter, guidanceParameters,
  guidanceSetting, integerParameter, numberParameter, samplerParameters,
  type DecodeScheduler, type GuidanceSetting, type ParameterSpec, type ParametersOf, type SchedulerContext, type StepDecision,
  type StepInfo, type StepLogits,
} from 'omnidecode';
import { BlockPlan } from './block-plan.ts';

/** Each step is a forward of the whole segment; past this many a run takes minutes and gains nothing. */
const MAX_STEPS = 4096;

function optionalSteps(description: string): ParameterSpec<number | null> {
  return customParameter<number | null>({
    default: null, constraint: `an integer >= 1 and <= ${MAX_STEPS}, or null`, description,
    parse(value, field) {
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new ConfigError(field, value, 'an integer >= 1, or null');
      if (value > MAX_STEPS) throw new ConfigError(field, value, `an integer <= ${MAX_STEPS}, or null`);
      return value;
    },
  });
}

export const textDiffusionParameters = defineParameters({
  blockLength: integerParameter({ default: 32, min: 1, description: 'Tokens per block; blocks are filled left to right (LLaDA\'s block_length).' }),
  steps: optionalSteps('Total steps, split evenly over the blocks (the first blocks take the remainder); null uses stepsPerBlock.'),
  stepsPerBlock: optionalSteps('Steps for each block when steps is null; null means one token per step.'),
  remasking: enumParameter({
    values: ['low-confidence', 'random'] as const, default: 'low-confidence',
    description: 'Which masked positions of the block a step commits: the most probable drawn tokens, or random ones.',
  }),
  temperature: numberParameter({
    default: 0, min: 0,
    description: 'Gumbel noise on the logits before the argmax (LLaDA\'s add_gumbel_noise); 0 is a plain argmax.',
  }),
  processors: {
    ...samplerParameters.shape.processors,
    description: 'Registered logits processors (built-in or from plugins) applied to each draw, after the temperature.',
  },
  ...guidanceParameters,
});

export type TextDiffusionOptions = ParametersOf<typeof textDiffusionParameters.shape>;

/**
 * LLaDA's sampler: the whole segment is fed every step (block mode), but only the current block
 * may be committed; each step commits the block's k most confident drawn tokens (or k random
 * ones), and the next block starts only once this one is full. When a text row stops (EOS, stop
 * strings, max tokens) is the engine's call: it pads the rest of the row, and blocks left with
 * nothing masked cost no step.
 */
export class TextDiffusionScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance: GuidanceSetting | null;
  private context!: SchedulerContext;
  private draws!: ParallelDraws;
  private commits!: CommitList;
  private plan!: BlockPlan;
  private block = 0;
  private stepInBlock = 0;
  /** Per row: masked tokens in the current block when it began (the quota's base). */
  private maskedAtBlockStart = new Int32Array(0);
  /** By position: the current block's confidence (log p of the draw, or a random key); −∞ outside it. */
  private confidence = new Float64Array(0);
  /** Runs right after each draw, so random remasking takes its key from the stream in LLaDA's order. */
  private readonly scoreDraw = (position: number, logProb: number): void => {
    if (position < this.plan.start(this.block) || position >= this.plan.end(this.block)) {
      this.confidence[position] = Number.NEGATIVE_INFINITY;
    } else {
      this.confidence[position] = this.options.remasking === 'random' ? this.context.rng.next() : logProb;
    }
  };

  constructor(private readonly options: TextDiffusionOptions) {
    if (options.steps !== null && options.stepsPerBlock !== null) {
      throw new ConfigError('steps', options.steps, 'null when stepsPerBlock is set (give steps or stepsPerBlock, not both)');
    }
    this.guidance = guidanceSetting(options);
  }

  plannedSteps(context: SchedulerContext): number {
    return this.planFor(context.canvas.length).totalPlannedSteps();
  }

  begin(context: SchedulerContext): void {
    this.context = context;
    const { temperature, processors } = this.options;
    const gumbel = temperature > 0;
    // Argmax of logits/T + Gumbel equals LLaDA's argmax of exp(logits) / (−log u)^T. Built here so
    // processors resolve against registered (plugin) logits processors.
    this.draws = new ParallelDraws(context, context.createSampler({
      temperature: gumbel ? temperature : 1, topK: null, topP: null, minP: null, repetitionPenalty: null,
      draw: gumbel ? 'gumbel-max' : 'greedy', processors,
    }));
    this.commits = new CommitList(context.canvas.rows * context.canvas.length);
    this.plan = this.planFor(context.canvas.length);
    this.block = 0;
    this.stepInBlock = 0;
    this.maskedAtBlockStart = new Int32Array(context.canvas.rows);
    this.confidence = new Float64Array(context.canvas.length);
  }

  private planFor(length: number): BlockPlan {
    return new BlockPlan(length, Math.min(this.options.blockLength, length), this.options.steps, this.options.stepsPerBlock);
  }

  step(logits: StepLogits, _info: StepInfo): StepDecision {
    const { canvas } = this.context;
    const commits = this.commits.clear();
    // Blocks already full (given tokens, or padding after a row stopped) cost no step.
    while (this.block < this.plan.blocks && this.maskedIn(this.block, -1) === 0) this.nextBlock();
    if (this.block >= this.plan.blocks) return { commits, preview: null, done: true };
    if (this.stepInBlock === 0) {
      for (let row = 0; row < canvas.rows; row++) this.maskedAtBlockStart[row] = this.maskedIn(this.block, row);
    }
    const steps = this.plan.steps(this.block);
    const lastOfBlock = this.stepInBlock >= steps - 1;
    for (let row = 0; row < canvas.rows; row++) {
      // x0 at every masked position (the preview); only the current block's are scored.
      this.draws.drawRow(logits, row, undefined, this.scoreDraw);
      const masked = this.maskedIn(this.block, row);
      const quota = BlockPlan.quota(this.maskedAtBlockStart[row] as number, steps, this.stepInBlock);
      this.draws.commitHighest(commits, row, this.confidence, lastOfBlock ? masked : Math.min(masked, quota));
    }
    const done = lastOfBlock && this.block + 1 >= this.plan.blocks;
    this.stepInBlock += 1;
    if (lastOfBlock) this.nextBlock();
    return { commits, preview: this.draws.preview, done };
  }

  private nextBlock(): void {
    this.block += 1;
    this.stepInBlock = 0;
  }

  /** Masked positions of a block in one row, or in any row (row −1). */
  private maskedIn(block: number, row: number): number {
    const { canvas } = this.context;
    let masked = 0;
    for (let r = row < 0 ? 0 : row; r < (row < 0 ? canvas.rows : row + 1); r++) {
      for (let position = this.plan.start(block); position < this.plan.end(block); position++) {
        masked += canvas.known[r * canvas.length + position] === 0 ? 1 : 0;
      }
    }
    return masked;
  }
}

export const textDiffusionDefinition = defineScheduler({
  name: 'text-diffusion',
  description: 'LLaDA masked diffusion: blocks filled left to right, each step commits the block\'s most confident tokens.',
  modalities: ['text', 'image'],
  parameters: textDiffusionParameters,
  scheduler: TextDiffusionScheduler,
});
