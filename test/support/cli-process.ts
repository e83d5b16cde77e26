import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/omnidecode.mjs', import.meta.url));

export interface CliRun {
  readonly child: ChildProcess;
  /** Resolves when the process ends. */
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves once stderr has printed text matching `pattern`. */
  waitForStderr(pattern: RegExp): Promise<void>;
}

/** The CLI as a user runs it: a separate process, stderr a pipe (not a terminal). */
export function startCli(args: readonly string[], cwd: string): CliRun {
  const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters.splice(0)) {
      if (waiter.pattern.test(stderr)) waiter.resolve(); else waiters.push(waiter);
    }
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child, done,
    waitForStderr: (pattern) => new Promise<void>((resolve, reject) => {
      if (pattern.test(stderr)) { resolve(); return; }
      waiters.push({ pattern, resolve });
      void done.then(() => reject(new Error(`the CLI ended before printing ${pattern}: ${stderr}`)));
    }),
  };
}
