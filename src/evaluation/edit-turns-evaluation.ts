import { ModelFileError } from '../core/errors.ts';
import type { ChatRun } from '../pipeline/chat-result.ts';
import type { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { editKind, editSucceeded } from './edit-criteria.ts';
import { referenceEdit } from './reference-edits.ts';
import type { EvalSet } from './eval-set.ts';
import type { EvaluationClassifier } from './evaluation-classifier.ts';
import { chatOptions, cost, imagesOf, type ChatCost, type ChatEvaluationOptions } from './interleaved-evaluations.ts';

export interface EditTurnFigures {
  /** Chats whose answer at this turn opened an image. */
  readonly answered: number;
  /** The turn's edit, judged against the image it was asked of (the source, or the model's previous image). */
  readonly success: number;
  /** The classifier reads the turn's image as the source's class. */
  readonly classKept: number;
}

export interface EditTurnsReport extends ChatCost {
  readonly chats: number;
  readonly turns: readonly EditTurnFigures[];
  /**
   * Per turn, the classifier on the exact pixel edits (reference-edits.ts) of the same sources and
   * instructions, turn 2 applied to turn 1's exact edit: the ceiling "class kept" can reach.
   */
  readonly referenceClassKept: readonly number[];
  /**
   * The chat's first image edited again by `edit` with the second instruction (the base edit rows' fixed
   * layout and positions, no chat context): the class kept when the second edit is not read on the chat's
   * later positions. `edit` encodes the decoded picture again, as a user's `edit` of the saved PNG would, so
   * its codes may differ from the ones the chat's second turn saw. Chats whose first turn opened no image
   * count as not kept.
   */
  readonly chainedClassKept: number;
  /** Per instruction, over the turns that asked it (either turn). */
  readonly instructions: Readonly<Record<string, EditTurnFigures & { readonly asked: number }>>;
  readonly examples: readonly string[];
}

/** Ordered pairs of different instructions: chat i asks pairs[i % pairs.length], the second as "now …". */
export function instructionPairs(instructions: readonly string[]): [string, string][] {
  return instructions.flatMap((first) => instructions.filter((second) => second !== first).map((second): [string, string] => [first, `now ${second}`]));
}

/**
 * The pairs the edit chats ask, checked before any chat of the evaluation runs: the model's
 * editInstructions must hold two that edit-criteria.ts can judge, and the eval set sources past
 * `offset` (without them every figure would be 0 / 0).
 */
export function editChatPairs(instructions: readonly string[], evalImages: number, offset: number): [string, string][] {
  const judged = [...new Set(instructions.filter((text) => editKind(text) !== null))];
  if (judged.length < 2) {
    throw new ModelFileError('prompts.editInstructions', instructions, 'at least two instructions evaluate can judge (darker, lighter, flip/mirror, smaller)',
      `prompts.editInstructions: got ${judged.length} different ones that evaluate can judge (${instructions.join(', ') || 'none'}); the two-turn edit chats need two different ones (darker, lighter, flip/mirror, smaller)`);
  }
  if (evalImages <= offset) {
    throw new ModelFileError('evaluation set', `${evalImages} images`, `more than ${offset} images`,
      `the evaluation set holds ${evalImages} images; the edit chats take their sources after the first ${offset} (held out from the other evaluations)`);
  }
  return instructionPairs(judged);
}

/**
 * [image] "make it darker" [image'] "now flip it" [image'']: one chat per held-out source, each turn
 * decoded with the earlier turns (and the images the model made) as its context.
 */
export async function evaluateEditTurns(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, evalSet: EvalSet, offset: number, count: number, options: ChatEvaluationOptions,
): Promise<EditTurnsReport> {
  const sources = evalSet.images.slice(offset, offset + count);
  const pairs = editChatPairs(pipeline.config.prompts.editInstructions, evalSet.images.length, offset);
  const sourceClasses = (await classifier.classify(sources)).labels;
  const runs: ChatRun[] = [];
  const started = performance.now();
  const asked = sources.map((_, index) => pairs[index % pairs.length] as [string, string]);
  for (const [index, source] of sources.entries()) {
    runs.push(await pipeline.chat(asked[index] as [string, string], { ...chatOptions(options, index), image: source }));
  }
  const wallMs = performance.now() - started;
  const referenceClassKept = await referenceTurnsClassKept(classifier, sources, sourceClasses, asked);
  const chainedClassKept = await chainedEditsClassKept(pipeline, classifier, runs, sourceClasses, options);
  // Every turn's image classified in one call, not one call per image.
  const turnImages = runs.flatMap((run) => run.turns.slice(0, 2).flatMap((turn) => imagesOf(turn.parts).slice(0, 1)));
  const turnLabels = turnImages.length === 0 ? [] : (await classifier.classify(turnImages)).labels;
  const labelOf = new Map(turnImages.map((image, at) => [image, turnLabels[at]]));
  const turns = [0, 1].map(() => ({ answered: 0, success: 0, classKept: 0 }));
  const byInstruction = new Map<string, { asked: number; answered: number; success: number; classKept: number }>();
  const examples: string[] = [];
  for (const [index, run] of runs.entries()) {
    let before = sources[index] as GrayImage;
    for (const [turn, figures] of turns.entries()) {
      const chatTurn = run.turns[turn];
      const instruction = (chatTurn?.user ?? '').replace(/^now /, '');
      const entry = byInstruction.get(instruction) ?? { asked: 0, answered: 0, success: 0, classKept: 0 };
      entry.asked += 1;
      byInstruction.set(instruction, entry);
      const image = imagesOf(chatTurn?.parts ?? [])[0];
      if (image === undefined) break;  // a later turn has no image of this one to edit
      figures.answered += 1;
      entry.answered += 1;
      const kind = editKind(instruction);
      if (kind !== null && editSucceeded(kind, before, image)) { figures.success += 1; entry.success += 1; }
      if (labelOf.get(image) === sourceClasses[index]) { figures.classKept += 1; entry.classKept += 1; }
      before = image;
    }
    if (examples.length < 4) examples.push(run.turns.map((turn) => `${turn.user} -> ${imagesOf(turn.parts).length} image(s)`).join('; '));
  }
  const n = runs.length;
  const instructions: Record<string, EditTurnFigures & { asked: number }> = {};
  for (const [instruction, entry] of byInstruction) {
    instructions[instruction] = { asked: entry.asked, answered: entry.answered / entry.asked, success: entry.success / entry.asked, classKept: entry.classKept / entry.asked };
  }
  return {
    chats: n,
    turns: turns.map((figures) => ({ answered: figures.answered / n, success: figures.success / n, classKept: figures.classKept / n })),
    referenceClassKept, chainedClassKept, instructions, examples, ...cost(runs, wallMs),
  };
}

async function referenceTurnsClassKept(
  classifier: EvaluationClassifier, sources: readonly GrayImage[], sourceClasses: Int32Array, asked: readonly [string, string][],
): Promise<number[]> {
  // editChatPairs keeps only instructions editKind judges, so every chat has both kinds.
  const judged = sources.flatMap((source, index) => {
    const [first, second] = (asked[index] ?? ['', '']).map(editKind);
    return first && second ? [{ source, label: sourceClasses[index], first, second }] : [];
  });
  if (judged.length === 0) return [0, 0];
  const once = judged.map((chat) => referenceEdit(chat.first, chat.source));
  const twice = judged.map((chat, index) => referenceEdit(chat.second, once[index] as GrayImage));
  const labels = (await classifier.classify([...once, ...twice])).labels;
  const kept = (offset: number): number => judged.filter((chat, index) => labels[offset + index] === chat.label).length / judged.length;
  return [kept(0), kept(judged.length)];
}

async function chainedEditsClassKept(
  pipeline: OmnidecodePipeline, classifier: EvaluationClassifier, runs: readonly ChatRun[], sourceClasses: Int32Array, options: ChatEvaluationOptions,
): Promise<number> {
  if (runs.length === 0) return 0;
  // One edit call per second instruction, over every chat that asked it.
  const byInstruction = new Map<string, { images: GrayImage[]; chats: number[] }>();
  for (const [index, run] of runs.entries()) {
    const first = imagesOf(run.turns[0]?.parts ?? [])[0];
    const second = run.turns[1]?.user.replace(/^now /, '');
    if (first === undefined || second === undefined) continue;
    const group = byInstruction.get(second) ?? { images: [], chats: [] };
    group.images.push(first);
    group.chats.push(index);
    byInstruction.set(second, group);
  }
  let kept = 0;
  for (const [instruction, group] of byInstruction) {
    const edited = await pipeline.edit(group.images, instruction, {
      seed: options.seed, ...(options.imageScheduler ? { scheduler: options.imageScheduler } : {}),
    });
    const labels = (await classifier.classify(edited.images)).labels;
    kept += group.chats.filter((chat, at) => labels[at] === sourceClasses[chat]).length;
  }
  return kept / runs.length;
}
