import type { Command } from 'commander';
import { parseSeed } from '../core/config/parse-seed.ts';
import { MAX_SESSION_THREADS, parseSpinningFlag } from '../core/config/session-settings.ts';
import { parseUnknownWords } from '../core/config/unknown-words-setting.ts';
import { InputError } from '../core/errors.ts';
import { readConfigFile } from '../node/config-file.ts';
import { TextCompletion } from '../pipeline/text-completion.ts';
import { completeWithJanus } from './janus-complete.ts';
import { janusFolderOf } from './janus-run-settings.ts';
import { abortOnSignals } from './interrupts.ts';
import { deviceFlag, integerFlag } from './run-settings.ts';

interface CompleteFlags {
  config?: string;
  model?: string;
  maxTokens?: string;
  seed?: string;
  threads?: string;
  device?: string;
  spinning?: string;
  unknownWords?: string;
  json?: boolean;
}

/**
 * `omnidecode complete --model DIR "prompt"`: greedy AR text on a text-only folder (a standard
 * decoder export with its tokenizer; docs/model-format.md, "Text-only folders"). Prints the new
 * text, or with --json the ids too. Settings: flags over the --config file's seed, model,
 * threads, executionProviders and session.
 */
export function registerCompleteCommand(program: Command): void {
  program.command('complete')
    .description('Continue a prompt with a text-only model (a standard decoder export: config.json, tokenizer.json, onnx/model.onnx), greedy AR.')
    .argument('<prompt>', 'the text to continue')
    .option('--model <dir>', 'the text-only (or Janus-layout) model folder (required here or as model in --config)')
    .option('--config <file>', 'JSON or YAML config (model, seed, threads, executionProviders, session); flags override it')
    .option('--max-tokens <n>', 'most new tokens (default 32, at most what the model positions leave)')
    .option('--seed <seed>', 'an integer in [0, 2^32)')
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .option('--device <provider>', 'onnxruntime execution provider: cpu (default), cuda, webgpu, ...')
    .option('--spinning <on|off>', 'whether onnxruntime intra-op threads spin between runs (default off)')
    .option('--unknown-words <policy>', 'a prompt word the tokenizer does not know: error (default) or unk')
    .option('--json', 'print { promptIds, ids, text, stop } as JSON')
    .action(async (prompt: string, flags: CompleteFlags) => {
      const config = flags.config === undefined ? null : await readConfigFile(flags.config);
      // Every flag is checked before the model loads.
      const maxTokens = integerFlag(flags.maxTokens, '--max-tokens', 1);
      const seed = flags.seed !== undefined ? parseSeed(flags.seed, '--seed') : config?.seed ?? 0;
      const threads = integerFlag(flags.threads, '--threads', 1, MAX_SESSION_THREADS) ?? config?.session.intraOpThreads;
      const executionProviders = deviceFlag(flags.device) ?? config?.session.executionProviders;
      const allowSpinning = flags.spinning !== undefined ? parseSpinningFlag(flags.spinning, '--spinning') : config?.session.allowSpinning;
      const unknownWords = flags.unknownWords !== undefined ? parseUnknownWords(flags.unknownWords, '--unknown-words') : config?.unknownWords ?? 'reject';
      const model = flags.model ?? config?.model ?? undefined;
      if (model === undefined) {
        throw new InputError('--model', model, 'a text-only model folder', '--model is required: a text-only model folder (config.json, tokenizer.json, onnx/model.onnx)');
      }
      // A Janus-layout folder answers through its chat template (docs/model-format.md, "Janus-layout folders").
      const janus = await janusFolderOf({ model });
      if (janus !== undefined) {
        await completeWithJanus(janus, prompt, {
          seed, unknownWords, json: flags.json === true, ...(maxTokens === undefined ? {} : { maxTokens }),
          session: {
            ...(threads === undefined ? {} : { threads }),
            ...(executionProviders === undefined ? {} : { executionProviders }),
            ...(allowSpinning === undefined ? {} : { allowSpinning }),
          },
        });
        return;
      }
      const completion = await TextCompletion.load({
        model, unknownWords,
        ...(threads === undefined ? {} : { intraOpThreads: threads }),
        ...(executionProviders === undefined ? {} : { executionProviders }),
        ...(allowSpinning === undefined ? {} : { allowSpinning }),
      });
      try {
        const controller = abortOnSignals();
        const result = await completion.complete(prompt, { seed, signal: controller.signal, ...(maxTokens === undefined ? {} : { maxTokens }) });
        if (flags.json === true) {
          const { promptIds, ids, text, stop } = result;
          process.stdout.write(`${JSON.stringify({ promptIds, ids, text, stop })}\n`);
        } else {
          process.stdout.write(`${result.text}\n`);
        }
      } finally {
        await completion.dispose();
      }
    });
}
