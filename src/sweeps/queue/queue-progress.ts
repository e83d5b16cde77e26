/** What the queue looks like between two progress lines. */
export interface QueueSnapshot {
  /** Workers connected to the queue (from Redis' client list), or null when Redis will not say. */
  readonly workers: number | null;
  /** Jobs being run right now, by any worker (any sweep). */
  readonly active: number | null;
}

const MAX_NAMED_WORKERS = 5;

/**
 * Progress of one queued sweep run, as log lines: jobs done of the total, failures, workers, the
 * rate over this run and an ETA; at most one line per `intervalMs` unless something is final.
 */
export class QueueProgress {
  private finishedHere = 0;
  private failed = 0;
  private readonly byWorker = new Map<string, number>();
  private lastLine = 0;
  private lastText = '';
  private readonly started: number;

  constructor(
    private readonly total: number,
    private readonly alreadyDone: number,
    private readonly log: (line: string) => void,
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** A job's result arrived (ranBy: the worker that ran it). */
  finished(ranBy: string): void {
    this.finishedHere += 1;
    this.byWorker.set(ranBy, (this.byWorker.get(ranBy) ?? 0) + 1);
  }

  failedJob(): void {
    this.failed += 1;
  }

  /** Jobs per second over this run so far (0 before the first result). */
  rate(): number {
    const seconds = (this.now() - this.started) / 1000;
    return seconds > 0 ? this.finishedHere / seconds : 0;
  }

  line(snapshot: QueueSnapshot): string {
    const done = this.alreadyDone + this.finishedHere;
    const remaining = this.total - done - this.failed;
    const rate = this.rate();
    const parts = [`queue: ${done}/${this.total} done`];
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    if (snapshot.workers !== null) parts.push(`${snapshot.workers} worker${snapshot.workers === 1 ? '' : 's'}`);
    if (snapshot.active !== null) parts.push(`${snapshot.active} running`);
    if (rate > 0) parts.push(`${rate.toFixed(2)} jobs/s`);
    if (rate > 0 && remaining > 0) parts.push(`ETA ${formatSeconds(remaining / rate)}`);
    return parts.join(', ');
  }

  /** Logs the line when it changed and the interval has passed (`force`: whatever the interval). */
  report(snapshot: QueueSnapshot, force = false): void {
    const now = this.now();
    if (!force && now - this.lastLine < this.intervalMs) return;
    const text = this.line(snapshot);
    if (text === this.lastText) return;
    this.lastLine = now;
    this.lastText = text;
    this.log(text);
  }

  /** Who ran this run's jobs: "w1 12, w2 10, …" (the busiest first, a few named). */
  workersLine(): string {
    const ranked = [...this.byWorker.entries()].sort((a, b) => b[1] - a[1]);
    const named = ranked.slice(0, MAX_NAMED_WORKERS).map(([name, count]) => `${name} ${count}`);
    const others = ranked.length - named.length;
    return `${named.join(', ')}${others > 0 ? `, and ${others} more worker${others === 1 ? '' : 's'}` : ''}`;
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 90) return `${Math.round(seconds)}s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)}min`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
