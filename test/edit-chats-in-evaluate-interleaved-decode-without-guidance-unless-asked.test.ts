import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { evaluateInterleaved } from '../src/evaluation/interleaved-report.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModelWithClassifier } from './support/chat-model.ts';

// An edit chat starts from an image, and `chat --image` decodes its images without guidance unless asked
// (edit turns were never trained with their words dropped): the evaluation measures what the command makes.
describe('evaluate interleaved decodes its edit chats as chat --image does', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('uses the model\'s guidance for drawing chats and none for edit chats, unless guidance is asked', async () => {
    const { pipeline, classifier } = model;
    const evalSet = loadEvalSet(pipeline.folder);
    const settings = { perClass: 1, count: 1, seed: 0 };
    const plain = await evaluateInterleaved(pipeline, classifier, evalSet, settings);
    expect(plain.imageOptions.guidance).toBe(pipeline.config.defaults.image.guidance);
    expect(plain.editImageOptions.guidance).toBe(0);
    expect(plain.editImageOptions.steps).toBe(plain.imageOptions.steps);
    const asked = await evaluateInterleaved(pipeline, classifier, evalSet, { ...settings, imageScheduler: { options: { guidance: 1.5 } } });
    expect(asked.imageOptions.guidance).toBe(1.5);
    expect(asked.editImageOptions.guidance).toBe(1.5);
  });
});
