import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import { evaluateInterleaved, type InterleavedSettings } from '../src/evaluation/interleaved-report.ts';
import type { ChatOptions } from '../src/pipeline/chat-options.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModelWithClassifier } from './support/chat-model.ts';

// An edit chat starts from an image, and `chat --image` decodes its images without guidance unless asked
// (edit turns were never trained with their words dropped): the evaluation measures what the command makes.
describe('evaluate interleaved decodes its edit chats as chat --image does', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  /** The guidance each chat of the evaluation was decoded with: [drawing chats, chats from an image]. */
  async function guidanceOfChats(settings: InterleavedSettings): Promise<{ drawing: unknown[]; fromImage: unknown[]; report: Awaited<ReturnType<typeof evaluateInterleaved>> }> {
    const { pipeline, classifier } = model;
    const drawing: unknown[] = [];
    const fromImage: unknown[] = [];
    const recording = Object.create(pipeline, {
      chat: {
        value: (turns: string | readonly string[], options: ChatOptions = {}) => {
          (options.image === undefined ? drawing : fromImage).push(options.imageScheduler?.options?.guidance);
          return pipeline.chat(turns, options);
        },
      },
    }) as OmnidecodePipeline;
    const report = await evaluateInterleaved(recording, classifier, loadEvalSet(pipeline.folder), settings);
    return { drawing, fromImage, report };
  }

  it('uses the model\'s guidance for drawing chats and none for edit chats', async () => {
    const { drawing, fromImage, report } = await guidanceOfChats({ perClass: 1, count: 2, seed: 0 });
    const modelGuidance = model.pipeline.config.defaults.image.guidance;
    expect(modelGuidance).toBeGreaterThan(0);
    expect(drawing.length).toBeGreaterThan(0);
    expect(new Set(drawing)).toEqual(new Set([modelGuidance]));
    expect(fromImage).toEqual([0, 0]);
    expect(report.imageOptions.guidance).toBe(modelGuidance);
    expect(report.editImageOptions.guidance).toBe(0);
    expect(report.editImageOptions.steps).toBe(report.imageOptions.steps);
  });

  it('uses the asked guidance for both when guidance is asked', async () => {
    const { drawing, fromImage, report } = await guidanceOfChats({ perClass: 1, count: 2, seed: 0, imageScheduler: { options: { guidance: 1.5 } } });
    expect(new Set(drawing)).toEqual(new Set([1.5]));
    expect(fromImage).toEqual([1.5, 1.5]);
    expect(report.editImageOptions.guidance).toBe(1.5);
  });
});
