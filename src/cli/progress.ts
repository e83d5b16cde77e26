import cliProgress from 'cli-progress';

export interface Progress {
  /** Called with the images finished so far. */
  readonly onBatch: ((done: number) => void) | undefined;
  stop(): void;
}

/** Lines on a non-terminal stderr come at most this often, so a log stays readable. */
const LINE_INTERVAL_MS = 2000;

/**
 * A bar on a terminal; on a pipe or a log file (where a bar would be noise), a plain line per batch
 * at most every two seconds, plus the last one — a long run is never silent.
 */
export function progressFor(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (total <= 1) return { onBatch: undefined, stop: () => undefined };
  if (stream.isTTY === true) {
    const bar = new cliProgress.SingleBar({ stream, format: 'decoding [{bar}] {value}/{total} images | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return { onBatch: (done) => bar.update(done), stop: () => bar.stop() };
  }
  const started = Date.now();
  let lastLine = 0;
  return {
    onBatch: (done) => {
      const now = Date.now();
      if (done < total && now - lastLine < LINE_INTERVAL_MS) return;
      lastLine = now;
      stream.write(`decoding: ${done}/${total} images (${((now - started) / 1000).toFixed(1)} s)\n`);
    },
    stop: () => undefined,
  };
}
