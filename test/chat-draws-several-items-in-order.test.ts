import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { imagesOf, loadChatModelWithClassifier } from './support/chat-model.ts';

const PROMPTS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['draw a sneaker then a bag then a coat', ['sneaker', 'bag', 'coat']],
  ['draw a dress then a sandal', ['dress', 'sandal']],
  ['draw a trouser then an ankle boot then a bag', ['trouser', 'ankle boot', 'bag']],
  ['draw a dark coat then a light sneaker', ['coat', 'sneaker']],
  ['draw a bag', ['bag']],
];

describe('"draw X then Y then Z"', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('the model opens one image per item, each of the asked class, in order, then ends the answer', async () => {
    const { pipeline, classifier } = model;
    const names = pipeline.config.prompts.classNames;
    let rightCount = 0;
    let rightClass = 0;
    let items = 0;
    const rows: string[] = [];
    for (const [prompt, wanted] of PROMPTS) {
      const { turns: [turn] } = await pipeline.chat(prompt, { seed: 5 });
      if (turn === undefined) throw new Error('no turn');
      const images = imagesOf(turn);
      // Images only: no words in an items answer, and it ends by itself (<|eos|>), not at a limit.
      expect(turn.parts.every((part) => part.kind === 'image'), prompt).toBe(true);
      if (images.length === wanted.length) rightCount += 1;
      const { labels } = await classifier.classify(images);
      const seen = Array.from(labels, (label) => names[label]);
      wanted.forEach((name, index) => { if (seen[index] === name) rightClass += 1; });
      items += wanted.length;
      rows.push(`${prompt} -> ${seen.join(', ')}`);
    }
    expect(rightCount, rows.join('\n')).toBe(PROMPTS.length);
    expect(rightClass, rows.join('\n')).toBeGreaterThanOrEqual(items - 1);
  });
});
