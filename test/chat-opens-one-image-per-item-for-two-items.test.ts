import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { imagesOf, loadChatModelWithClassifier } from './support/chat-model.ts';

// What the shipped model does with "draw X then Y": one image per item for two items, then <|eos|>.
// Which class each of several items gets, and three items, it has not learnt: `evaluate interleaved`
// reports those figures (MODEL_CARD.md, "Interleaved chat"), far under the targets.
const TWO_ITEMS = ['draw a dress then a sandal', 'draw a dark coat then a light sneaker', 'draw a bag then a trouser', 'draw a shirt then a sneaker'];

describe('"draw X then Y" on the shipped model', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('opens exactly two images, writes no words, and ends the answer by itself', async () => {
    for (const prompt of TWO_ITEMS) {
      const { turns: [turn] } = await model.pipeline.chat(prompt, { seed: 5 });
      if (turn === undefined) throw new Error('no turn');
      expect(turn.parts.every((part) => part.kind === 'image'), prompt).toBe(true);
      expect(imagesOf(turn), prompt).toHaveLength(2);
      expect(turn.limit, prompt).toBeUndefined();
    }
  });

  it('one item is one image of that item', async () => {
    const { pipeline, classifier } = model;
    const { turns: [turn] } = await pipeline.chat('draw a bag', { seed: 5 });
    if (turn === undefined) throw new Error('no turn');
    const images = imagesOf(turn);
    expect(images).toHaveLength(1);
    const { labels } = await classifier.classify(images);
    expect(pipeline.config.prompts.classNames[labels[0] as number]).toBe('bag');
  });
});
