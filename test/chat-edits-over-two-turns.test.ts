import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editSucceeded } from '../src/evaluation/edit-criteria.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { imagesOf, loadChatModelWithClassifier, shapeOf } from './support/chat-model.ts';

// The class kept over two turns and the flip as a second turn are under the targets on the shipped
// model (`evaluate interleaved`, MODEL_CARD.md): this checks what it does do, each turn's edit of the image before it.
describe('editing over turns: [image] "make it darker", then "now make it smaller"', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('each turn answers with one image that makes its edit of the image before it, with the earlier turns as context', async () => {
    const { pipeline, classifier } = model;
    const evalSet = loadEvalSet(pipeline.folder);
    const rows: string[] = [];
    let darker = 0;
    let smaller = 0;
    const sources = [0, 8, 9, 11, 12];
    for (const index of sources) {
      const source = evalSet.images[index];
      if (source === undefined) throw new Error('no eval image');
      const chat = await pipeline.chat(['make it darker', 'now make it smaller'], { image: source, seed: 2 });
      const [first, second] = chat.turns;
      if (first === undefined || second === undefined) throw new Error('two turns expected');
      expect(shapeOf(first.parts)).toBe('image');
      expect(shapeOf(second.parts)).toBe('image');
      // Each turn after an image is padded to the layout's short turn, so the first answer's image sits where
      // the model's edit rows put theirs: <|lvg|> <|soi|> A <|eoi|>, 6 positions of turn, <|soi|> at 58.
      const shortTurn = pipeline.config.prompts.chat?.imageTurnLength ?? 0;
      const image = pipeline.imageTokenizer.codesPerImage + 2;
      expect(shortTurn).toBe(6);
      expect(first.start).toBe(1 + image + shortTurn);
      expect(second.start).toBe(first.start + image + 1 + shortTurn);
      // The second turn saw the first answer as the codes the model drew, right after the source.
      const firstCodes = first.parts[0]?.kind === 'image' ? first.parts[0].codes : new Int32Array();
      const answerIds = Array.from(chat.tokens.subarray(first.start + 1, first.start + 1 + firstCodes.length));
      expect(answerIds).toEqual(Array.from(firstCodes, (code) => pipeline.vocabulary.codeToId(code)));
      const [once, twice] = [imagesOf(first)[0], imagesOf(second)[0]];
      if (once === undefined || twice === undefined) throw new Error('images expected');
      // The evaluation's edit criteria: darker than the source; smaller judged against the image it shrinks.
      const madeDarker = editSucceeded('darker', source, once);
      const madeSmaller = editSucceeded('smaller', once, twice);
      if (madeDarker) darker += 1;
      if (madeSmaller) smaller += 1;
      const { labels } = await classifier.classify([source, once, twice]);
      rows.push(`eval ${index}: darker ${madeDarker}, then smaller ${madeSmaller}; classes ${Array.from(labels).join(' -> ')}`);
    }
    const report = `darker ${darker}, smaller ${smaller} of ${sources.length}\n${rows.join('\n')}`;
    expect(darker, report).toBeGreaterThanOrEqual(sources.length - 1);
    expect(smaller, report).toBeGreaterThanOrEqual(sources.length - 1);
  });
});
