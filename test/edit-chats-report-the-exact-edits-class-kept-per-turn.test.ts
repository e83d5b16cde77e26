import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editKind, type EditKind } from '../src/evaluation/edit-criteria.ts';
import { editChatPairs, evaluateEditTurns } from '../src/evaluation/edit-turns-evaluation.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { EDIT_CHAT_OFFSET } from '../src/evaluation/interleaved-report.ts';
import { referenceEdit } from '../src/evaluation/reference-edits.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModelWithClassifier } from './support/chat-model.ts';

// The ceiling for "class kept" on an edit turn: the classifier on the exact pixel edits of the same
// sources, the second turn's edit applied to the first turn's exact edit (as the chat edits its own image).
describe('edit chats report the class kept by the exact edits, per turn', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('classifies each chat source edited once and twice by its own pair of instructions', async () => {
    const { pipeline, classifier } = model;
    const evalSet = loadEvalSet(pipeline.folder);
    const count = 6;
    const report = await evaluateEditTurns(pipeline, classifier, evalSet, EDIT_CHAT_OFFSET, count, { seed: 0 });
    const sources = evalSet.images.slice(EDIT_CHAT_OFFSET, EDIT_CHAT_OFFSET + count);
    const pairs = editChatPairs(pipeline.config.prompts.editInstructions, evalSet.images.length, EDIT_CHAT_OFFSET);
    const kind = (text: string | undefined): EditKind => editKind(text ?? '') ?? 'darker';
    const once = sources.map((source, index) => referenceEdit(kind(pairs[index]?.[0]), source));
    const twice = once.map((image, index) => referenceEdit(kind(pairs[index]?.[1]), image));
    const truth = (await classifier.classify(sources)).labels;
    const keptShare = async (images: typeof sources): Promise<number> => {
      const labels = (await classifier.classify(images)).labels;
      return labels.filter((label, index) => label === truth[index]).length / count;
    };
    expect(report.referenceClassKept).toEqual([await keptShare(once), await keptShare(twice)]);
  });
});
