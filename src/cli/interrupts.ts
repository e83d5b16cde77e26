import { removeLiveTemporaries } from '../tokenizers/png-image.ts';

/** Exit codes of a process ended by a signal, as shells report them (128 + signal number). */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type HandledSignal = keyof typeof SIGNAL_EXIT_CODES;

let received: HandledSignal | null = null;

/** The exit code for an abort caused by a signal this process received, or null if none arrived. */
export function signalExitCode(): number | null {
  return received === null ? null : SIGNAL_EXIT_CODES[received];
}

/**
 * Ctrl-C and SIGTERM abort decoding cleanly (caches freed, temporaries removed, nothing
 * half-written); the command then exits 130 or 143. A second signal exits at once, still removing
 * temporaries, for a process stuck in a long native call.
 */
export function abortOnSignals(): AbortController {
  const controller = new AbortController();
  for (const signal of Object.keys(SIGNAL_EXIT_CODES) as HandledSignal[]) {
    process.on(signal, () => {
      if (received !== null) {
        removeLiveTemporaries();
        process.exit(SIGNAL_EXIT_CODES[signal]);
      }
      received = signal;
      controller.abort(new Error(`interrupted by ${signal}`));
    });
  }
  return controller;
}
