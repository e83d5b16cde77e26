import {
  ConfigError, type Sampler, applyClassifierFreeGuidance, customParameter, defineParameters, defineScheduler, enumParameter,
  guidanceParameters, integerParameter, logSumExp, numberParameter, samplerParameters,
  type DecodeScheduler, type ParameterSpec, type ParametersOf, type SchedulerContext, type StepInfo, type StepLogits,
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
  fillAfterEos: enumParameter({
    values: ['none', 'eos', 'pad'] as const, default: 'none',
    description: 'Text: once a row commits EOS, fill its later masked positions with EOS or pad instead of decoding them.',
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
 * ones), and the next block starts only once this one is full.
 */
export class TextDiffusionScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly needsUnconditional: boolean;
  private sampler!: Sampler;
  private context!: SchedulerContext;
  private plan!: BlockPlan;
  private block = 0;
  private stepInBlock = 0;
  /** Per row: masked tokens in the current block when it began (the quota's base). */
  private maskedAtBlockStart = new Int32Array(0);
  private scratch = new Float32Array(0);
  private confidence = new Float64Array(0);
  private order: number[] = [];

  constructor(private readonly options: TextDiffusionOptions) {
    if (options.steps !== null && options.stepsPerBlock !== null) {
      throw new ConfigError('steps', options.steps, 'null when stepsPerBlock is set (give steps or stepsPerBlock, not both)');
    }
    this.needsUnconditional = options.guidance > 0;
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
    this.sampler = context.createSampler({
      temperature: gumbel ? temperature : 1, topK: null, topP: null, minP: null, repetitionPenalty: null,
      draw: gumbel ? 'gumbel-max' : 'greedy', processors,
    });
    this.plan = this.planFor(context.canvas.length);
    this.block = 0;
    this.stepInBlock = 0;
    this.maskedAtBlockStart = new Int32Array(context.canvas.rows);
    this.scratch = new Float32Array(context.candidates.count);
    this.confidence = new Float64Array(context.canvas.length);
  }

  private planFor(length: number): BlockPlan {
    return new BlockPlan(length, Math.min(this.options.blockLength, length), this.options.steps, this.options.stepsPerBlock);
  }

  step(logits: StepLogits, _info: StepInfo): boolean {
    const { canvas } = this.context;
    // Blocks already full (given tokens, or filled after EOS) cost no forward.
    while (this.block < this.plan.blocks && this.maskedIn(this.block, -1) === 0) this.nextBlock();
    if (this.block >= this.plan.blocks) return this.finish();
    if (this.stepInBlock === 0) {
      for (let row = 0; row < canvas.rows; row++) this.maskedAtBlockStart[row] = this.maskedIn(this.block, row);
    }
    const steps = this.plan.steps(this.block);
    const lastOfBlock = this.stepInBlock >= steps - 1;
    for (let row = 0; row < canvas.rows; row++) {
      this.drawRow(logits, row);
      const masked = this.maskedIn(this.block, row);
      const quota = BlockPlan.quota(this.maskedAtBlockStart[row] as number, steps, this.stepInBlock);
      this.commitBest(row, lastOfBlock ? masked : Math.min(masked, quota));
    }
    this.stepInBlock += 1;
    if (lastOfBlock) this.nextBlock();
    return canvas.known.includes(0) ? false : this.finish();
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

  /** Draws x0 at every masked position (the preview); scores those of the current block. */
  private drawRow(logits: StepLogits, row: number): void {
    const { canvas, candidates, rng } = this.context;
    const { guidance, guidanceForm, remasking } = this.options;
    const base = row * canvas.length;
    const blockStart = this.plan.start(this.block);
    const blockEnd = this.plan.end(this.block);
    for (let position = 0; position < canvas.length; position++) {
      if (canvas.known[base + position] === 1) continue;
      const offset = logits.offset(row, position) + candidates.offset;
      if (guidance > 0) {
        applyClassifierFreeGuidance(logits.data, offset, logits.unconditionalOffset(row, position) + candidates.offset, candidates.count, guidance, guidanceForm);
      }
      // Draw from a copy: the confidence is p(x0) under the guided logits, before any temperature.
      for (let i = 0; i < candidates.count; i++) this.scratch[i] = logits.data[offset + i] as number;
      const column = this.sampler.sample(this.scratch, 0, candidates.count, rng);
      canvas.preview[base + position] = candidates.offset + column;
      if (position < blockStart || position >= blockEnd) continue;
      this.confidence[position] = remasking === 'random'
        ? rng.next()
        : Math.exp((logits.data[offset + column] as number) - logSumExp(logits.data, offset, candidates.count));
    }
  }

  /** Commits the `count` most confident masked positions of the current block (ties: leftmost). */
  private commitBest(row: number, count: number): void {
    const { canvas } = this.context;
    const base = row * canvas.length;
    this.order.length = 0;
    for (let position = this.plan.start(this.block); position < this.plan.end(this.block); position++) {
      if (canvas.known[base + position] === 0) this.order.push(position);
    }
    this.order.sort((a, b) => (this.confidence[b] as number) - (this.confidence[a] as number) || a - b);
    for (const position of this.order.slice(0, count)) {
      canvas.tokens[base + position] = canvas.preview[base + position] as number;
      canvas.known[base + position] = 1;
    }
    for (const position of this.order.slice(0, count)) this.fillAfterEos(row, position);
  }

  /** LLaDA's model pads its answer with EOS; filling it in saves the steps it would take. */
  private fillAfterEos(row: number, position: number): void {
    const { canvas, vocabulary, modality } = this.context;
    const base = row * canvas.length;
    if (this.options.fillAfterEos === 'none' || modality !== 'text' || canvas.tokens[base + position] !== vocabulary.eosTokenId) return;
    const fill = this.options.fillAfterEos === 'eos' ? vocabulary.eosTokenId : vocabulary.padTokenId;
    for (let later = position + 1; later < canvas.length; later++) {
      if (canvas.known[base + later] === 1) continue;
      canvas.tokens[base + later] = fill;
      canvas.preview[base + later] = fill;
      canvas.known[base + later] = 1;
    }
  }

  /** Text output ends before each row's first EOS, as the autoregressive scheduler's does. */
  private finish(): true {
    const { canvas, vocabulary, modality } = this.context;
    if (modality !== 'text') return true;
    for (let row = 0; row < canvas.rows; row++) {
      const tokens = canvas.tokens.subarray(row * canvas.length, (row + 1) * canvas.length);
      const eos = tokens.indexOf(vocabulary.eosTokenId);
      canvas.ends[row] = eos < 0 ? canvas.length : eos;
    }
    return true;
  }
}

export const textDiffusionDefinition = defineScheduler({
  name: 'text-diffusion',
  description: 'LLaDA masked diffusion: blocks filled left to right, each step commits the block\'s most confident tokens.',
  modalities: ['text', 'image'],
  parameters: textDiffusionParameters,
  scheduler: TextDiffusionScheduler,
});
