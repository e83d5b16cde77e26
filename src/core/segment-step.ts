import type { ActiveSegment } from './active-segment.ts';
import type { DecodingRun } from './decoding-run.ts';
import { NonFiniteLogitsError, SchedulerDecisionError } from './errors.ts';
import type { FeedStrategy } from './feeds/feed-strategy.ts';
import { applyClassifierFreeGuidance } from './sampling/classifier-free-guidance.ts';
import { findNonFinite } from './sampling/finite-check.ts';
import type { StepDecision } from './scheduler.ts';
import type { StepEvent } from './step-event.ts';
import type { StopList } from './stop-conditions.ts';

/**
 * What the engine does around a scheduler's step: checks the logits it will read, applies
 * classifier-free guidance once (both forms; schedulers never call it), applies the returned commits
 * with their invariants, stops text rows, and reports the step.
 */
export class SegmentStep {
  /** [rows] positions committed this step, per row, for the event (reused arrays). */
  private readonly committed: number[][];

  constructor(
    private readonly active: ActiveSegment,
    private readonly feed: FeedStrategy,
    private readonly blockedTokens: readonly number[] = [],
    private readonly image: number | undefined = undefined,
  ) {
    this.committed = Array.from({ length: active.canvas.rows }, () => []);
  }

  /** Tokens no row may draw in this segment (e.g. padding among the candidates) get -Infinity at every read position. */
  block(): void {
    if (this.blockedTokens.length === 0) return;
    const { canvas, view } = this.active;
    for (let row = 0; row < canvas.rows; row++) {
      for (let position = 0; position < canvas.length; position++) {
        if (!this.feed.reads(this.active, row, position)) continue;
        const conditional = view.offset(row, position);
        const unconditional = view.unconditionalOffset(row, position);
        for (const token of this.blockedTokens) {
          view.data[conditional + token] = Number.NEGATIVE_INFINITY;
          if (unconditional >= 0) view.data[unconditional + token] = Number.NEGATIVE_INFINITY;
        }
      }
    }
  }

  /** Non-finite logits at a read position (conditional or unconditional) are the model's fault: named with the step. */
  checkFinite(step: number): void {
    const { canvas, view, context, span } = this.active;
    const { offset, count } = context.candidates;
    for (let row = 0; row < canvas.rows; row++) {
      for (let position = 0; position < canvas.length; position++) {
        if (!this.feed.reads(this.active, row, position)) continue;
        this.checkSlice(view.offset(row, position) + offset, count, span.index, step);
        const unconditional = view.unconditionalOffset(row, position);
        if (unconditional >= 0) this.checkSlice(unconditional + offset, count, span.index, step);
      }
    }
  }

  private checkSlice(start: number, count: number, segment: number, step: number): void {
    const data = this.active.view.data;
    const bad = findNonFinite(data, start, count);
    if (bad >= 0) throw new NonFiniteLogitsError(segment, step, start + bad, data[start + bad] as number);
  }

  /** Mixes the unconditional rows into the conditional ones at every read position, in place. */
  guide(): void {
    const { scheduler, canvas, view, context } = this.active;
    const guidance = scheduler.guidance;
    if (guidance === null || guidance.scale === 0) return;
    const { offset, count } = context.candidates;
    for (let row = 0; row < canvas.rows; row++) {
      for (let position = 0; position < canvas.length; position++) {
        if (!this.feed.reads(this.active, row, position)) continue;
        applyClassifierFreeGuidance(view.data, view.offset(row, position) + offset, view.unconditionalOffset(row, position) + offset, count, guidance.scale, guidance.form);
      }
    }
  }

  /** Writes the commits into the canvas, refusing any that would change a known token or leave the candidates. */
  apply(decision: StepDecision, step: number): void {
    const { canvas, context, segment } = this.active;
    const { commits } = decision;
    const name = segment.scheduler;
    for (const positions of this.committed) positions.length = 0;
    if (decision.preview !== null && decision.preview.length !== canvas.preview.length) {
      throw new SchedulerDecisionError(name, step, 'preview length', decision.preview.length, `${canvas.preview.length} (rows × segment length) or null`);
    }
    const { offset, count } = context.candidates;
    for (let i = 0; i < commits.count; i++) {
      const row = commits.row(i);
      const position = commits.position(i);
      const token = commits.token(i);
      if (!(row >= 0 && row < canvas.rows && position >= 0 && position < canvas.length)) {
        throw new SchedulerDecisionError(name, step, 'commit (row, position)', `(${row}, ${position})`, `a row in [0, ${canvas.rows}) and a position in [0, ${canvas.length})`);
      }
      const index = row * canvas.length + position;
      if (canvas.known[index] === 1) {
        throw new SchedulerDecisionError(name, step, 'commit position', `(${row}, ${position}), already known as token ${canvas.tokens[index]}`, 'an unknown position: known tokens never change');
      }
      if (!(token >= offset && token < offset + count)) {
        throw new SchedulerDecisionError(name, step, 'commit token', `${token} at (${row}, ${position})`, `a candidate id in [${offset}, ${offset + count})`);
      }
      canvas.tokens[index] = token;
      canvas.known[index] = 1;
      canvas.preview[index] = token;
      (this.committed[row] as number[]).push(position);
    }
    if (decision.preview !== null) {
      for (let i = 0; i < canvas.preview.length; i++) canvas.preview[i] = canvas.known[i] === 1 ? canvas.tokens[i] as number : decision.preview[i] as number;
    }
  }

  /**
   * Text rows whose known prefix grew are checked against the stop conditions; a row that stops
   * is finished: its output ends there and its unknown positions become padding.
   */
  stopRows(padTokenId: number): void {
    const { canvas, stops, stopChecked } = this.active;
    for (let row = 0; row < canvas.rows; row++) {
      const rowStops = stops[row] as StopList;
      if (canvas.finished[row] === 1 || rowStops.conditions.length === 0) continue;
      const base = row * canvas.length;
      let upTo = stopChecked[row] as number;
      while (upTo < canvas.length && canvas.known[base + upTo] === 1) upTo += 1;
      const from = stopChecked[row] as number;
      if (upTo === from) continue;
      stopChecked[row] = upTo;
      const end = rowStops.check(canvas.tokens, base, from, upTo);
      if (end < 0) continue;
      canvas.finished[row] = 1;
      canvas.ends[row] = end;
      for (let position = 0; position < canvas.length; position++) {
        if (canvas.known[base + position] === 1) continue;
        canvas.known[base + position] = 1;
        canvas.tokens[base + position] = padTokenId;
        canvas.preview[base + position] = padTokenId;
      }
    }
  }

  /** Every row stopped or every position known. */
  complete(): boolean {
    const { canvas } = this.active;
    for (let row = 0; row < canvas.rows; row++) {
      if (canvas.finished[row] === 1) continue;
      for (let position = 0; position < canvas.length; position++) if (canvas.known[row * canvas.length + position] === 0) return false;
    }
    return true;
  }

  /** Left unknown when a text scheduler finished early (its rows ran out of room or stopped): padding. */
  padRemaining(padTokenId: number): void {
    const { canvas } = this.active;
    for (let i = 0; i < canvas.known.length; i++) {
      if (canvas.known[i] === 1) continue;
      canvas.known[i] = 1;
      canvas.tokens[i] = padTokenId;
      canvas.preview[i] = padTokenId;
    }
  }

  emit(run: DecodingRun, step: number, plannedSteps: number): void {
    if (run.observers.length === 0) return;
    const { canvas, span, segment } = this.active;
    const event: StepEvent = {
      type: 'step', segment: span.index, scheduler: segment.scheduler, step, plannedSteps,
      committed: this.committed.map((positions) => positions.slice().sort((a, b) => a - b)), canvas: canvas.tokens.slice(), preview: canvas.preview.slice(),
      rows: canvas.rows, length: canvas.length, forwardPasses: run.forwardPasses,
      ...(this.image !== undefined ? { image: this.image } : {}),
    };
    for (const observer of run.observers) observer(event);
  }
}
