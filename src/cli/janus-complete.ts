import { JanusPipeline, JanusPrompts, type JanusPipelineOptions } from '../pipeline/janus/janus-pipeline.ts';
import type { UnknownWords } from '../tokenizers/text-tokenizer.ts';
import { abortOnSignals } from './interrupts.ts';

export interface JanusCompleteOptions {
  readonly seed: number;
  readonly unknownWords: UnknownWords;
  readonly maxTokens?: number;
  readonly json: boolean;
  readonly session: Pick<JanusPipelineOptions, 'threads' | 'executionProviders' | 'allowSpinning'>;
}

/**
 * `omnidecode complete --model JANUS_DIR "prompt"`: the model's greedy answer to the prompt, asked
 * through its own "default" chat template (a Janus model is a chat model; its prompt is the user's
 * turn). Prints the text, or with --json { promptIds, ids, text, stop } as the text-only path does.
 */
export async function completeWithJanus(model: string, prompt: string, options: JanusCompleteOptions): Promise<void> {
  // The prompt and --max-tokens are checked against the folder's positions before the graphs load.
  const prompts = await JanusPrompts.open({ model, unknownWords: options.unknownWords, ...options.session });
  const plan = prompts.complete(prompt, options.maxTokens);
  const pipeline = await JanusPipeline.load(prompts);
  try {
    const controller = abortOnSignals();
    const result = await pipeline.answer(plan, { seed: options.seed, signal: controller.signal, options: { sampler: { draw: 'greedy' } } });
    const { promptIds, ids, text, stop } = result;
    process.stdout.write(options.json ? `${JSON.stringify({ promptIds, ids, text, stop })}\n` : `${text}\n`);
  } finally {
    await pipeline.dispose();
  }
}
