import type { ActiveSegment } from '../active-segment.ts';
import type { DecodingRun, ForwardBuffers } from '../decoding-run.ts';
import type { FeedStrategy } from './feed-strategy.ts';

/**
 * Masked diffusion: the prefix is fed once and cached; every step feeds the whole segment (mask
 * tokens included) bidirectionally after it. The block's own keys/values change every step and are
 * dropped; the prefix cache is reused.
 */
export class BidirectionalBlockFeed implements FeedStrategy {
  readonly position = -1;
  private buffers: ForwardBuffers | undefined;

  async begin(run: DecodingRun, active: ActiveSegment): Promise<void> {
    // The prefix's logits are not needed: the block predicts itself.
    await run.feedPending(active.span.start);
    this.buffers = run.createBuffers(active.span.start, active.span.start + active.span.length);
  }

  async logits(run: DecodingRun, active: ActiveSegment): Promise<void> {
    const { span, canvas, view } = active;
    const buffers = this.buffers as ForwardBuffers;
    for (let row = 0; row < run.layout.totalRows; row++) {
      const source = (row % run.layout.rows) * span.length;
      buffers.inputIds.set(canvas.tokens.subarray(source, source + span.length), row * span.length);
    }
    const output = await run.forward(span.start, span.start + span.length, buffers);
    output.present.dispose();
    view.point(output.logits, output.vocabSize, span.length, 0);
  }

  reads(active: ActiveSegment, row: number, position: number): boolean {
    return active.canvas.known[row * active.canvas.length + position] === 0;
  }

  async advance(): Promise<boolean> {
    return true;
  }
}
