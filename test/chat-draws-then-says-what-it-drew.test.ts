import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClass } from '../src/evaluation/answer-class.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { imagesOf, loadChatModelWithClassifier, shapeOf } from './support/chat-model.ts';

// Both trained templates, items with and without a brightness word; the asked class last.
const PROMPTS: ReadonlyArray<readonly [string, string]> = [
  ['draw a sandal and say what it is', 'sandal'],
  ['draw a dark sneaker and tell me what it is', 'sneaker'],
  ['draw a bag and say what it is', 'bag'],
  ['draw a light dress and tell me what it is', 'dress'],
  ['draw an ankle boot and say what it is', 'ankle boot'],
  ['draw a trouser and tell me what it is', 'trouser'],
];

describe('"draw X and say what it is"', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('the model opens one image, then names a class in words; the classifier agrees with the caption and the ask', async () => {
    const { pipeline, classifier } = model;
    const names = pipeline.config.prompts.classNames;
    const rows: string[] = [];
    let agree = 0;
    let asked = 0;
    for (const [prompt, wanted] of PROMPTS) {
      const { turns: [turn] } = await pipeline.chat(prompt, { seed: 11 });
      if (turn === undefined) throw new Error('no turn');
      // Exactly the trained shape: <|soi|> image <|eoi|> words <|eos|>.
      expect(shapeOf(turn.parts), prompt).toBe('image text');
      expect(turn.limit, prompt).toBeUndefined();
      const caption = turn.parts[1]?.kind === 'text' ? turn.parts[1].text : '';
      expect(caption, prompt).toMatch(/^it is /);
      const said = answerClass(caption, names);
      expect(said, caption).toBeGreaterThanOrEqual(0);
      const { labels: [seen] } = await classifier.classify(imagesOf(turn));
      if (seen === said) agree += 1;
      if (seen === names.indexOf(wanted)) asked += 1;
      rows.push(`${prompt} -> "${caption}" (classifier: ${names[seen ?? -1] ?? '?'})`);
    }
    // The bar is 90% over many prompts; on these six, at most one may miss.
    expect(agree, rows.join('\n')).toBeGreaterThanOrEqual(PROMPTS.length - 1);
    expect(asked, rows.join('\n')).toBeGreaterThanOrEqual(PROMPTS.length - 1);
  });
});
