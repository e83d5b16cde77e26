import { collect } from './command-options.ts';
import type { Command } from 'commander';
import { ConfigError } from '../core/errors.ts';
import { loadEvalSet } from '../evaluation/eval-set.ts';
import { EvaluationClassifier } from '../evaluation/evaluation-classifier.ts';
import { evaluateDescribe, evaluateEdits, evaluateReconstruction, evaluateTextToImage } from '../evaluation/model-evaluations.ts';
import { evaluateInterleaved } from '../evaluation/interleaved-report.ts';
import { loadRunSettings, type CommonFlags } from './run-settings.ts';

const TASKS = ['text-to-image', 'describe', 'edit', 'vq', 'interleaved'] as const;
type Task = typeof TASKS[number];

function count(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new ConfigError(flag, value, 'an integer >= 1');
  return number;
}

/** `omnidecode evaluate TASK`: the model card's figures, each reproducible from this command. */
export function registerEvaluateCommand(program: Command): void {
  program.command('evaluate')
    .description('Measure the model with the evaluation classifier: text-to-image accuracy + FID, describe accuracy, edit success, VQ reconstruction.')
    .argument('<task>', TASKS.join(' | '))
    .option('--config <file>', 'JSON or YAML config')
    .option('--model <dir>', 'model folder (default: the embedded model)')
    .option('--plugin <path>', 'load a plugin (repeatable)', collect, [])
    .option('--seed <seed>', 'fixes every random draw', '0')
    .option('--scheduler <name>', 'scheduler for the generated segment')
    .option('--steps <n>', 'denoising steps')
    .option('--guidance <w>', 'classifier-free guidance scale')
    .option('--schedule <name|expr>', 'mask schedule')
    .option('--set <key=value>', 'other scheduler parameters (repeatable)', collect, [])
    .option('--threads <n>', 'onnxruntime intra-op threads')
    .option('--per-class <n>', 'text-to-image (default 10), interleaved (draw then say; default 30): prompts per class')
    .option('--count <n>', 'describe / edit / vq: held-out images; interleaved: several-items prompts and edit chats (default 300, every held-out image after 700)')
    .option('--text-scheduler <name>', 'interleaved: the scheduler of the words (--scheduler and its flags decode the images)')
    .option('--batch-size <n>', 'rows decoded together', '20')
    .action(async (task: string, flags: CommonFlags & { perClass?: string; count?: string; batchSize: string; textScheduler?: string }) => {
      if (!(TASKS as readonly string[]).includes(task)) throw new ConfigError('task', task, `one of: ${TASKS.join(', ')}`);
      const kind = task as Task;
      const settings = await loadRunSettings(flags, kind === 'describe' ? 'text' : 'image');
      const { pipeline } = settings;
      const classifier = await EvaluationClassifier.load(pipeline.folder);
      const options = { seed: settings.seed, scheduler: settings.scheduler, batchSize: count(flags.batchSize, 20, '--batch-size') };
      try {
        let report: object;
        switch (kind) {
          case 'text-to-image':
            report = await evaluateTextToImage(pipeline, classifier, count(flags.perClass, 10, '--per-class'), options);
            break;
          case 'describe':
            report = await evaluateDescribe(pipeline, loadEvalSet(pipeline.folder), count(flags.count, 500, '--count'), options);
            break;
          case 'edit':
            // Sources after the 500 describe images, so no image serves both evaluations.
            report = await evaluateEdits(pipeline, classifier, loadEvalSet(pipeline.folder), 500, count(flags.count, 200, '--count'), options);
            break;
          case 'vq':
            report = await evaluateReconstruction(pipeline, classifier, loadEvalSet(pipeline.folder), count(flags.count, 1000, '--count'));
            break;
          case 'interleaved':
            report = await evaluateInterleaved(pipeline, classifier, loadEvalSet(pipeline.folder), {
              // 300 chats per task, not 100: a share of 100 moved 3-4 points between rounds with no change behind it.
              perClass: count(flags.perClass, 30, '--per-class'),
              count: count(flags.count, 300, '--count'), seed: settings.seed,
              imageScheduler: settings.scheduler, ...(flags.textScheduler ? { textScheduler: { name: flags.textScheduler } } : {}),
            });
            break;
        }
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } finally {
        await classifier.dispose();
        await pipeline.dispose();
      }
    });
}
