import { InputError, ModelFileError } from '../core/errors.ts';
import type { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import { withoutGuidanceUnlessAsked } from '../pipeline/chat-run.ts';
import type { SegmentScheduler } from '../pipeline/scheduler-choice.ts';
import { editChatPairs, evaluateEditTurns, type EditTurnsReport } from './edit-turns-evaluation.ts';
import type { EvalSet } from './eval-set.ts';
import type { EvaluationClassifier } from './evaluation-classifier.ts';
import { evaluateDrawThenSay, evaluateSeveralItems, type DrawThenSayReport, type SeveralItemsReport } from './interleaved-evaluations.ts';

export interface InterleavedReport {
  readonly task: 'interleaved';
  readonly imageScheduler: string;
  readonly imageOptions: Readonly<Record<string, unknown>>;
  /** The edit chats start from an image, so, as `omnidecode chat --image`, they decode without guidance unless asked. */
  readonly editImageOptions: Readonly<Record<string, unknown>>;
  readonly textScheduler: string;
  readonly drawThenSay: DrawThenSayReport;
  readonly severalItems: SeveralItemsReport;
  readonly editTurns: EditTurnsReport;
}

export interface InterleavedSettings {
  readonly perClass: number;
  readonly count: number;
  readonly seed: number;
  readonly imageScheduler?: Partial<SegmentScheduler>;
  readonly textScheduler?: Partial<SegmentScheduler>;
}

/** Held-out sources for the edit chats: after the describe (0-499) and edit (500-699) evaluations' images. */
export const EDIT_CHAT_OFFSET = 700;

/** `omnidecode evaluate interleaved`: the three chat tasks, each chat with its own seed. */
export async function evaluateInterleaved(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, evalSet: EvalSet, settings: InterleavedSettings,
): Promise<InterleavedReport> {
  // Refused before the first chat: the edit chats run last, after a long draw-then-say and several-items run.
  editChatPairs(pipeline.config.prompts.editInstructions, evalSet.images.length, EDIT_CHAT_OFFSET);
  if (pipeline.config.prompts.classNames.length === 0) {
    throw new ModelFileError('prompts.classNames', [], 'the class names the prompts ask for and the answers are read as');
  }
  for (const [name, value] of [['perClass', settings.perClass], ['count', settings.count]] as const) {
    // Every figure is a share of the chats run: none run would make it 0 / 0.
    if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new InputError(name, value, 'an integer from 1 to 10000');
  }
  const image = pipeline.schedulerFor('image', settings.imageScheduler);
  const text = pipeline.schedulerFor('text', settings.textScheduler);
  const editImage = pipeline.schedulerFor('image', withoutGuidanceUnlessAsked(pipeline, settings.imageScheduler));
  const options = { seed: settings.seed, imageScheduler: image, textScheduler: text };
  return {
    task: 'interleaved', imageScheduler: image.name, imageOptions: image.options, editImageOptions: editImage.options, textScheduler: text.name,
    drawThenSay: await evaluateDrawThenSay(pipeline, classifier, settings.perClass, options),
    severalItems: await evaluateSeveralItems(pipeline, classifier, settings.count, options),
    editTurns: await evaluateEditTurns(pipeline, classifier, evalSet, EDIT_CHAT_OFFSET, settings.count, { ...options, imageScheduler: editImage }),
  };
}
