import cliProgress from 'cli-progress';

export interface SweepProgress {
  /** Called once per finished job. */
  advance(): void;
  stop(): void;
}

/** Lines on a non-terminal stream come at most this often, so a log stays readable. */
const LINE_INTERVAL_MS = 2000;

function seconds(value: number): string {
  if (!Number.isFinite(value)) return '?';
  if (value < 120) return `${Math.round(value)} s`;
  if (value < 7200) return `${Math.round(value / 60)} min`;
  return `${(value / 3600).toFixed(1)} h`;
}

/**
 * Progress over `total` jobs to run (jobs already finished are not counted): a bar with jobs/s and
 * the ETA on a terminal; on a pipe or log file a line at most every two seconds, plus the last.
 * `stream` null: silent.
 */
export function sweepProgress(total: number, stream: NodeJS.WriteStream | null = process.stderr, what = 'sweep'): SweepProgress {
  if (stream === null || total === 0) return { advance: () => undefined, stop: () => undefined };
  const started = performance.now();
  let done = 0;
  const rate = (): number => done / Math.max(1e-3, (performance.now() - started) / 1000);
  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar({
      stream, hideCursor: true, etaBuffer: 50,
      format: `${what} [{bar}] {value}/{total} jobs | {rate} jobs/s | ETA {eta_formatted}`,
    }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { rate: '0.0' });
    return {
      advance: () => { done += 1; bar.update(done, { rate: rate().toFixed(1) }); },
      stop: () => bar.stop(),
    };
  }
  let lastLine = 0;
  return {
    advance: () => {
      done += 1;
      const now = performance.now();
      if (done < total && now - lastLine < LINE_INTERVAL_MS) return;
      lastLine = now;
      const perSecond = rate();
      stream.write(`${what}: ${done}/${total} jobs (${Math.floor((done / total) * 100)}%), ${perSecond.toFixed(1)} jobs/s, ` +
        `${done < total ? `ETA ${seconds((total - done) / perSecond)}` : `done in ${seconds((now - started) / 1000)}`}\n`);
    },
    stop: () => undefined,
  };
}
