import type { ActiveSegment } from '../active-segment.ts';
import type { DecodingRun } from '../decoding-run.ts';
import { OmnidecodeError } from '../errors.ts';
import { AppendForwardBuffers } from './append-forward-buffers.ts';
import type { FeedStrategy } from './feed-strategy.ts';

/**
 * Autoregression with a growing KV cache: the prefix's last position predicts segment position 0;
 * each step's committed tokens are fed after the cache, whose present becomes the past. Rows that
 * stopped are padded by the engine, so every row advances together.
 */
export class CausalAppendFeed implements FeedStrategy {
  position = 0;
  private readonly buffers = new AppendForwardBuffers();

  async begin(run: DecodingRun, active: ActiveSegment): Promise<void> {
    const first = await run.feedPending(active.span.start);
    if (first === undefined) {
      throw new OmnidecodeError(`segments[${active.span.index}]`, 'nothing to condition on', 'given tokens before the segment');
    }
    // The logits cover the prefix's last `kept` positions (all of the chunk, or only its last).
    const kept = first.logits.length / (first.vocabSize * run.layout.totalRows);
    active.view.point(first.logits, first.vocabSize, kept, -(kept - 1));
    this.position = 0;
  }

  async logits(): Promise<void> {
    // The forward of the previous advance (or the prefill) already produced them.
  }

  reads(active: ActiveSegment, row: number, position: number): boolean {
    return position === this.position && active.canvas.known[row * active.canvas.length + position] === 0;
  }

  async advance(run: DecodingRun, active: ActiveSegment): Promise<boolean> {
    const { span, canvas, view } = active;
    const run_ = knownRun(active, this.position);
    if (this.position + run_ >= span.length) return false;
    if (run_ === 0) {
      throw new OmnidecodeError(`scheduler ${active.segment.scheduler}`, `no token committed at position ${this.position}`,
        'an append-mode scheduler commits the next position of every running row each step');
    }
    const from = this.position;
    const to = from + run_;
    run.writeSegmentIds(span, canvas.tokens, from, to);
    // Only position `to` is read next: the last of the fed run, so only its logits are asked for.
    const buffers = this.buffers.fill(run, span.start + from, span.start + to);
    const output = await run.forward(span.start + from, span.start + to, buffers, 'last');
    run.replacePast(output, span.start + to);
    this.position = to;
    const kept = output.logits.length / (output.vocabSize * run.layout.totalRows);
    view.point(output.logits, output.vocabSize, kept, to - kept + 1);
    return true;
  }
}

/** Positions known in every row, contiguous from `from`. */
function knownRun(active: ActiveSegment, from: number): number {
  const { canvas } = active;
  let run = 0;
  for (let position = from; position < canvas.length; position++) {
    for (let row = 0; row < canvas.rows; row++) {
      if (canvas.known[row * canvas.length + position] !== 1) return run;
    }
    run += 1;
  }
  return run;
}
