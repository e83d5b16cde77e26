import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editChatPairs, evaluateEditTurns } from '../src/evaluation/edit-turns-evaluation.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { imagesOf } from '../src/evaluation/interleaved-evaluations.ts';
import { EDIT_CHAT_OFFSET } from '../src/evaluation/interleaved-report.ts';
import type { ChatRun } from '../src/pipeline/chat-result.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../src/tokenizers/png-image.ts';
import { loadChatModelWithClassifier } from './support/chat-model.ts';

// chainedClassKept: each chat's first image edited again by `edit` (the base edit rows' layout) with the
// chat's second instruction, classified against the source: the second turn without the chat's positions.
describe('edit chats report the class kept when the first image is edited again by edit', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('edits every chat\'s first image with its second instruction and counts the sources\' classes kept', async () => {
    const { pipeline, classifier } = model;
    const evalSet = loadEvalSet(pipeline.folder);
    const count = 6;
    const chats: ChatRun[] = [];
    const edits: { instruction: string; images: readonly GrayImage[]; made: readonly GrayImage[] }[] = [];
    const recording = Object.create(pipeline, {
      chat: { value: async (...args: Parameters<OmnidecodePipeline['chat']>) => { const run = await pipeline.chat(...args); chats.push(run); return run; } },
      edit: {
        value: async (images: readonly GrayImage[], instruction: string, options: Parameters<OmnidecodePipeline['edit']>[2]) => {
          const run = await pipeline.edit(images, instruction, options);
          edits.push({ instruction, images, made: run.images });
          return run;
        },
      },
    }) as OmnidecodePipeline;
    const report = await evaluateEditTurns(recording, classifier, evalSet, EDIT_CHAT_OFFSET, count, { seed: 0 });

    const pairs = editChatPairs(pipeline.config.prompts.editInstructions, evalSet.images.length, EDIT_CHAT_OFFSET);
    const firstImages = chats.map((run) => imagesOf(run.turns[0]?.parts ?? [])[0]);
    // Every chat's first image went to edit exactly once, with that chat's second instruction.
    expect(edits.flatMap((call) => call.images)).toHaveLength(count);
    for (const [index, first] of firstImages.entries()) {
      const call = edits.find((candidate) => candidate.images.includes(first as GrayImage));
      expect(call?.instruction).toBe(pairs[index]?.[1].replace(/^now /, ''));
    }
    const sources = evalSet.images.slice(EDIT_CHAT_OFFSET, EDIT_CHAT_OFFSET + count);
    const truth = (await classifier.classify(sources)).labels;
    let kept = 0;
    for (const call of edits) {
      const labels = (await classifier.classify(call.made)).labels;
      call.images.forEach((image, at) => { if (labels[at] === truth[firstImages.indexOf(image)]) kept += 1; });
    }
    expect(report.chainedClassKept).toBe(kept / count);
  });
});
