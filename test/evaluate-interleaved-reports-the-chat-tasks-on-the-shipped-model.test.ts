import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { loadEvalSet } from '../src/evaluation/eval-set.ts';
import { evaluateInterleaved } from '../src/evaluation/interleaved-report.ts';
import type { EvaluationClassifier } from '../src/evaluation/evaluation-classifier.ts';
import type { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { loadChatModelWithClassifier } from './support/chat-model.ts';

describe('evaluate interleaved on the shipped model (a small run)', () => {
  let model: { pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> };
  beforeAll(async () => { model = await loadChatModelWithClassifier(); });
  afterAll(async () => { await model.dispose(); });

  it('measures each task over the chats it ran, and the same seed gives the same figures', async () => {
    const { pipeline, classifier } = model;
    const settings = { perClass: 1, count: 4, seed: 0 };
    const report = await evaluateInterleaved(pipeline, classifier, loadEvalSet(pipeline.folder), settings);
    expect(report.imageScheduler).toBe('maskgit');
    expect(report.textScheduler).toBe('autoregressive');
    expect(report.drawThenSay.prompts).toBe(pipeline.config.prompts.classNames.length);
    // The model opens exactly one image for every "draw X and say what it is".
    expect(report.drawThenSay.oneImage).toBe(1);
    expect(report.drawThenSay.captionAgrees).toBeGreaterThan(0.5);
    // Two prompts of two items and two of three: 10 items in all; two-item prompts open two images, each
    // after its name (the examples show the answers: names and [image] in order).
    expect(report.severalItems.items).toBe(10);
    expect(report.severalItems.examples[0]).toMatch(/^draw a t-shirt then a dress -> a t-shirt \[image\] a dress \[image\]$/);
    expect(report.severalItems.byItemCount['2']?.exactCount).toBe(1);
    expect(report.editTurns.chats).toBe(4);
    expect(report.editTurns.turns.map((turn) => turn.answered)).toEqual([1, 1]);
    const again = await evaluateInterleaved(pipeline, classifier, loadEvalSet(pipeline.folder), settings);
    expect(again.drawThenSay.imageClass).toBe(report.drawThenSay.imageClass);
    expect(again.severalItems.itemClass).toBe(report.severalItems.itemClass);
    expect(again.severalItems.namedInOrder).toBe(report.severalItems.namedInOrder);
    // By place: four first items, four second ones, two third ones (the three-item prompts).
    expect(report.severalItems.byItemPosition.map((place) => place.items)).toEqual([4, 4, 2]);
    expect(again.severalItems.byItemPosition).toEqual(report.severalItems.byItemPosition);
    expect(again.severalItems.examples).toEqual(report.severalItems.examples);
    expect(again.editTurns.turns).toEqual(report.editTurns.turns);
  });

  it('refuses zero chats for a task before any chat (every figure is a share of the chats run)', async () => {
    const { pipeline, classifier } = model;
    let chats = 0;
    const counting = Object.create(pipeline, { chat: { value: () => { chats += 1; throw new Error('no chat expected'); } } }) as OmnidecodePipeline;
    const error = await evaluateInterleaved(counting, classifier, loadEvalSet(pipeline.folder), { perClass: 1, count: 0, seed: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('count: got 0, expected an integer from 1 to 10000');
    expect(chats).toBe(0);
  });
});
