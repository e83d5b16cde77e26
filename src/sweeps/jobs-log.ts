import { closeSync, createReadStream, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import { parseJobResult } from './job-result-line.ts';
import type { SweepJobResult } from './sweep-job.ts';

/** Longest line read back: far above a result's size (a 64-d feature vector is ~1.5 KB). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

export interface JobsLogReading {
  /** Complete lines read (each one a result handed to the callback). */
  readonly lines: number;
  /** Bytes after the last newline: a line cut short by a kill mid-write, not counted. */
  readonly partialBytes: number;
}

/**
 * Streams jobs.jsonl, handing every complete line (one JSON result, ending in a newline) to
 * `onResult`. A last line without its newline was cut short (the process died writing it): it is
 * skipped, so that job counts as not done. A malformed complete line is an error naming its number.
 */
export async function readJobsLog(path: string, onResult: (result: SweepJobResult, line: number) => void): Promise<JobsLogReading> {
  if (!existsSync(path)) return { lines: 0, partialBytes: 0 };
  let pending: Buffer = Buffer.alloc(0);
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    pending = pending.length === 0 ? chunk as Buffer : Buffer.concat([pending, chunk as Buffer]);
    let start = 0;
    for (let end = pending.indexOf(10, start); end >= 0; end = pending.indexOf(10, start)) {
      lines += 1;
      const text = pending.subarray(start, end).toString('utf8');
      start = end + 1;
      const where = `${path} line ${lines}`;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw new ConfigError(where, text.length > 80 ? `${text.slice(0, 77)}...` : text, 'one JSON job result per line',
          `${where} is not a JSON job result (${(error as Error).message}); the file is damaged: remove that line to resume, or start over with --force`);
      }
      onResult(parseJobResult(raw, where), lines);
    }
    pending = pending.subarray(start);
    if (pending.length > MAX_LINE_BYTES) {
      throw new ConfigError(`${path} line ${lines + 1}`, `over ${MAX_LINE_BYTES} bytes`, 'a job result line', `${path} line ${lines + 1} is longer than ${MAX_LINE_BYTES} bytes: not a job result`);
    }
  }
  return { lines, partialBytes: pending.length };
}

/** Cuts a line left without its newline (a write cut short) off the end, so the next line starts clean. */
function dropPartialTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const chunk = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const read = readSync(fd, chunk, 0, end - start, start);
    const newline = chunk.subarray(0, read).lastIndexOf(10);
    if (newline >= 0) {
      const keep = start + newline + 1;
      if (keep < size) ftruncateSync(fd, keep);
      return;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
}

/**
 * Appends results to jobs.jsonl, one JSON line each, written with one write call as it arrives (a
 * killed process loses at most the line being written, which the reader then skips). A job id
 * already in the file, or already appended, is never written again.
 */
export class JobsLogWriter {
  private constructor(private readonly fd: number, private readonly written: Set<string>) {}

  /** Opens (creating) the log for appending; `written` holds the ids already in it. */
  static open(path: string, written: ReadonlySet<string>): JobsLogWriter {
    const fd = openSync(path, 'a+');
    dropPartialTail(fd);
    return new JobsLogWriter(fd, new Set(written));
  }

  /** Writes the result's line; false (nothing written) when its id is already in the log. */
  append(result: SweepJobResult): boolean {
    if (this.written.has(result.id)) return false;
    writeSync(this.fd, `${JSON.stringify(result)}\n`);
    this.written.add(result.id);
    return true;
  }

  get count(): number { return this.written.size; }

  /** Flushes to the disk and closes. */
  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
