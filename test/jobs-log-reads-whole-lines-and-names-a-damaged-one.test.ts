import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { JobsLogWriter, readJobsLog } from '../src/sweeps/jobs-log.ts';
import type { SweepJobResult } from '../src/sweeps/sweep-job.ts';

/**
 * jobs.jsonl is read line by line: only lines ending in a newline count (a line cut short by a kill
 * is skipped, and the writer cuts it off before appending); a damaged whole line is an error naming
 * the file and line; the writer never writes an id twice.
 */
function result(index: number): SweepJobResult {
  return {
    id: index.toString(16).padStart(64, '0'), setting: 0, settingLabel: 'maskgit', seed: 0, imageIndex: index, prompt: 'a bag',
    classIndex: 8, tokensHash: 'f'.repeat(64), forwards: 5, wallMs: 3.5, predicted: 8, features: [0.5, 1], ranBy: 'in-process',
  };
}

async function ids(path: string): Promise<{ ids: number[]; partialBytes: number }> {
  const seen: number[] = [];
  const reading = await readJobsLog(path, (r) => { seen.push(r.imageIndex); });
  return { ids: seen, partialBytes: reading.partialBytes };
}

describe('jobs.jsonl', () => {
  it('skips a last line without its newline, and the writer replaces it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'omni-log-')), 'jobs.jsonl');
    writeFileSync(path, `${JSON.stringify(result(0))}\n${JSON.stringify(result(1))}\n${JSON.stringify(result(2)).slice(0, 30)}`);
    expect(await ids(path)).toEqual({ ids: [0, 1], partialBytes: 30 });
    const writer = JobsLogWriter.open(path, new Set([result(0).id, result(1).id]));
    expect(writer.append(result(1))).toBe(false);
    expect(writer.append(result(2))).toBe(true);
    expect(writer.append(result(2))).toBe(false);
    writer.close();
    expect(await ids(path)).toEqual({ ids: [0, 1, 2], partialBytes: 0 });
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
  });

  it('names the file and line of a damaged whole line, and of a field that is wrong', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'omni-log-')), 'jobs.jsonl');
    writeFileSync(path, `${JSON.stringify(result(0))}\n{"id": oops}\n`);
    await expect(ids(path)).rejects.toThrow(new RegExp(`${path} line 2 is not a JSON job result`));
    writeFileSync(path, `${JSON.stringify({ ...result(0), forwards: -1 })}\n`);
    const error = await ids(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).what).toBe(`${path} line 1 forwards`);
  });
});
