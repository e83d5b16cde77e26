import type { SessionSettings } from '../core/config/session-settings.ts';
import { JanusPipeline } from '../pipeline/janus/janus-pipeline.ts';
import type { UnknownWords } from '../tokenizers/text-tokenizer.ts';
import { abortOnSignals } from './interrupts.ts';

export interface JanusCompleteOptions {
  readonly seed: number;
  readonly unknownWords: UnknownWords;
  readonly maxTokens?: number;
  readonly json: boolean;
  readonly session: SessionSettings;
}

/**
 * `omnidecode complete --model JANUS_DIR "prompt"`: the model's greedy answer to the prompt, asked
 * through its own "default" chat template (a Janus model is a chat model; its prompt is the user's
 * turn). Prints the text, or with --json { promptIds, ids, text, stop } as the text-only path does.
 */
export async function completeWithJanus(model: string, prompt: string, options: JanusCompleteOptions): Promise<void> {
  const pipeline = await JanusPipeline.load({ model, unknownWords: options.unknownWords, ...options.session });
  try {
    const controller = abortOnSignals();
    const result = await pipeline.complete(prompt, {
      seed: options.seed, signal: controller.signal, options: { sampler: { draw: 'greedy' } },
      ...(options.maxTokens === undefined ? {} : { maxTokens: options.maxTokens }),
    });
    const { promptIds, ids, text, stop } = result;
    process.stdout.write(options.json ? `${JSON.stringify({ promptIds, ids, text, stop })}\n` : `${text}\n`);
  } finally {
    await pipeline.dispose();
  }
}
