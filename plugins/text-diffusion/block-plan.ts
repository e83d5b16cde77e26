/**
 * LLaDA's semi-autoregressive plan: the segment is cut into blocks of `blockLength` (the last one
 * may be shorter), each block gets its share of the steps, and each step of a block commits an
 * even share of the block's masked tokens (get_num_transfer_tokens: the remainder goes first).
 */
export class BlockPlan {
  readonly blocks: number;

  constructor(
    readonly length: number,
    readonly blockLength: number,
    /** Total steps split over the blocks, or null to use `stepsPerBlock`. */
    private readonly totalSteps: number | null,
    /** Steps for every block, or null for one token per step. */
    private readonly stepsPerBlock: number | null,
  ) {
    this.blocks = Math.ceil(length / blockLength);
  }

  start(block: number): number {
    return block * this.blockLength;
  }

  end(block: number): number {
    return Math.min(this.length, (block + 1) * this.blockLength);
  }

  /** Steps block `block` takes; at least one, so a block always gets filled. */
  steps(block: number): number {
    if (this.totalSteps !== null) {
      const share = Math.floor(this.totalSteps / this.blocks) + (block < this.totalSteps % this.blocks ? 1 : 0);
      return Math.max(1, share);
    }
    return this.stepsPerBlock ?? this.end(block) - this.start(block);
  }

  totalPlannedSteps(): number {
    let total = 0;
    for (let block = 0; block < this.blocks; block++) total += this.steps(block);
    return total;
  }

  /** Tokens to commit at step `step` of a block that had `masked` tokens when it began. */
  static quota(masked: number, steps: number, step: number): number {
    return Math.floor(masked / steps) + (step < masked % steps ? 1 : 0);
  }
}
