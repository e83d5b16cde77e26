import type { CommitList } from '../core/commit-list.ts';
import type { ProcessorContext } from '../core/sampling/logits-processor.ts';
import type { SampledToken, Sampler } from '../core/sampling/sampler.ts';
import type { SchedulerContext, StepLogits } from '../core/scheduler.ts';
import { selectLowest } from './select-lowest.ts';

/**
 * The work every parallel scheduler shares: draw a candidate token (and its log p) at each unknown
 * position of a row from the guided logits, then commit the positions a score ranks first. Each
 * scheduler keeps only its own decision: the score, and how many to commit. Buffers are allocated
 * once per segment; a step allocates nothing.
 */
export class ParallelDraws {
  /** [rows, length] the drawn token (unified id) at unknown positions, the committed one elsewhere: the x0 preview. */
  readonly preview: Int32Array;
  /** [rows, length] log p of the drawn token under the processed logits. */
  readonly logProb: Float64Array;
  /** The current row's unknown positions (after `drawRow`), `unknown` of them. */
  readonly order: Int32Array;
  unknown = 0;
  /** Scratch for commitHighest: scores negated, so the shared lowest-k selection picks the highest. */
  private readonly negated: Float64Array;
  private readonly sampled: SampledToken = { column: 0, logProb: 0 };

  constructor(private readonly context: SchedulerContext, private readonly sampler: Sampler) {
    const { rows, length } = context.canvas;
    this.preview = context.canvas.tokens.slice();
    this.logProb = new Float64Array(rows * length);
    this.order = new Int32Array(length);
    this.negated = new Float64Array(length);
  }

  /** Draws at one position of a row; returns the token (a unified id). */
  draw(logits: StepLogits, row: number, position: number, processorContext?: ProcessorContext): number {
    const { candidates, rng, canvas } = this.context;
    const drawn = this.sampler.draw(logits.data, logits.offset(row, position) + candidates.offset, candidates.count, rng, processorContext, this.sampled);
    const index = row * canvas.length + position;
    const token = candidates.offset + drawn.column;
    this.preview[index] = token;
    this.logProb[index] = drawn.logProb;
    return token;
  }

  /**
   * Draws at every unknown position of `row`, in position order; `order` lists them. Returns their
   * count. `afterDraw` runs right after each draw (e.g. maskgit's Gumbel noise, which must follow
   * each draw on the random stream to keep Show-o's order of draws).
   */
  drawRow(logits: StepLogits, row: number, processorContext?: ProcessorContext, afterDraw?: (position: number, logProb: number) => void): number {
    const { canvas } = this.context;
    const base = row * canvas.length;
    let unknown = 0;
    for (let position = 0; position < canvas.length; position++) {
      if (canvas.known[base + position] === 1) {
        this.preview[base + position] = canvas.tokens[base + position] as number;
        continue;
      }
      this.draw(logits, row, position, processorContext);
      afterDraw?.(position, this.logProb[base + position] as number);
      this.order[unknown++] = position;
    }
    this.unknown = unknown;
    return unknown;
  }

  /**
   * Commits the drawn token at every position `order` lists except the `keepMasked` with the lowest
   * `score` (indexed by position): MaskGIT's re-masking of the least confident.
   */
  commitAllButLowest(commits: CommitList, row: number, score: Float64Array, keepMasked: number): void {
    const keep = Math.max(0, Math.min(keepMasked, this.unknown));
    selectLowest(this.order, this.unknown, score, keep);
    const base = row * this.context.canvas.length;
    for (let i = keep; i < this.unknown; i++) {
      const position = this.order[i] as number;
      commits.push(row, position, this.preview[base + position] as number, this.logProb[base + position] as number);
    }
  }

  /** Commits the `count` positions with the highest `score`; equal scores commit the leftmost first. */
  commitHighest(commits: CommitList, row: number, score: Float64Array, count: number): void {
    const take = Math.max(0, Math.min(count, this.unknown));
    for (let i = 0; i < this.unknown; i++) {
      const position = this.order[i] as number;
      this.negated[position] = -(score[position] as number);
    }
    selectLowest(this.order, this.unknown, this.negated, take);
    const base = row * this.context.canvas.length;
    for (let i = 0; i < take; i++) {
      const position = this.order[i] as number;
      commits.push(row, position, this.preview[base + position] as number, this.logProb[base + position] as number);
    }
  }
}
