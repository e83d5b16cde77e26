import { existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, InputError } from '../core/errors.ts';
import { checkWritableFolder } from '../tokenizers/writable-folder.ts';

/** The files a sweep writes in its results folder (and the only ones --force replaces). */
export const SWEEP_FILES = {
  jobs: 'jobs.jsonl',
  summaryJson: 'summary.json',
  summaryMarkdown: 'summary.md',
  chartSvg: 'quality-chart.svg',
  chartPng: 'quality-chart.png',
} as const;

export type ResultsFolderMode = 'new' | 'replace' | 'resume';

export interface ResultsFolder {
  readonly dir: string;
  /** new: created; replace (--force): the sweep's files in it removed first; resume: jobs.jsonl kept and continued. */
  readonly mode: ResultsFolderMode;
}

export interface ResultsFolderFlags {
  readonly force?: boolean;
  readonly resume?: boolean;
}

/**
 * Checks the results folder before anything loads or runs, changing nothing: an existing folder is
 * refused unless --resume (finish the sweep it holds) or --force (start over), so results are never
 * overwritten by accident. `flag` names the option in messages.
 */
export function checkResultsFolder(path: string, flags: ResultsFolderFlags, flag = '-o/--output'): ResultsFolder {
  if (typeof path !== 'string' || path.trim() === '') throw new InputError(flag, path, 'a results folder path');
  if (flags.force === true && flags.resume === true) {
    throw new ConfigError('--force and --resume', 'both', 'one of them',
      '--force (start the sweep over) and --resume (finish it) contradict each other: pass one');
  }
  const dir = resolve(path);
  if (!existsSync(dir)) {
    checkWritableFolder(dir, flag);
    return { dir, mode: 'new' };
  }
  if (!statSync(dir).isDirectory()) throw new InputError(flag, dir, 'a folder', `${dir} exists and is not a folder`);
  if (flags.resume !== true && flags.force !== true) {
    throw new InputError(flag, dir, 'a folder that does not exist yet, or --resume / --force',
      `${dir} already exists; pass --resume to finish the sweep it holds (only missing jobs run), ` +
      `or --force to start over (its ${Object.values(SWEEP_FILES).join(', ')} are replaced; nothing else in it is touched)`);
  }
  checkWritableFolder(join(dir, SWEEP_FILES.jobs), flag);
  return { dir, mode: flags.resume === true ? 'resume' : 'replace' };
}

/** Creates the folder (new) or removes the sweep's own files from it (replace); resume keeps everything. */
export function prepareResultsFolder(folder: ResultsFolder): void {
  if (folder.mode === 'new') {
    mkdirSync(folder.dir, { recursive: true });
    return;
  }
  if (folder.mode === 'replace') {
    for (const name of Object.values(SWEEP_FILES)) {
      const path = join(folder.dir, name);
      if (existsSync(path)) unlinkSync(path);
    }
  }
}

export function sweepFile(folder: ResultsFolder, name: typeof SWEEP_FILES[keyof typeof SWEEP_FILES]): string {
  return join(folder.dir, name);
}
