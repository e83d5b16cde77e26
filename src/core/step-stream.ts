import type { GenerateOptions } from './generate-options.ts';
import type { GenerationResult } from './generation-result.ts';
import type { StepEvent } from './step-event.ts';

export type StreamItem = StepEvent | { type: 'result'; result: GenerationResult };

/**
 * Adapts a generate call's step callback into an async iterator of events, ending with the result.
 * Leaving the loop early (break, return, throw) aborts decoding instead of letting it run on.
 */
export async function* streamSteps(generate: (options: GenerateOptions) => Promise<GenerationResult>, options: GenerateOptions): AsyncGenerator<StreamItem> {
  const queue: StepEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  let failure: unknown;
  let result: GenerationResult | undefined;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const run = generate({
    ...options,
    signal,
    onStep: (event) => { options.onStep?.(event); queue.push(event); wake?.(); },
  }).then((value) => { result = value; }, (error: unknown) => { failure = error; }).finally(() => { finished = true; wake?.(); });
  try {
    while (true) {
      const next = queue.shift();
      if (next !== undefined) { yield next; continue; }
      if (finished) break;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = undefined;
    }
    await run;
    if (failure !== undefined) throw failure;
    yield { type: 'result', result: result as GenerationResult };
  } finally {
    if (!finished) {
      stop.abort(new Error('the stream consumer stopped reading'));
      await run;
    }
  }
}
