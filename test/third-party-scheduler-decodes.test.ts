import { describe, expect, it } from 'vitest';
import { defineParameters, integerParameter, type ParametersOf } from '../src/core/config/parameter-schema.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import type { DecodeScheduler, SchedulerContext, SchedulerDefinition, StepDecision, StepInfo, StepLogits } from '../src/core/scheduler.ts';
import { CommitList } from '../src/core/commit-list.ts';
import { defineScheduler } from '../src/core/scheduler-registry.ts';
import { knownImageModel } from './support/fake-models.ts';
import { PROMPT_LENGTH, T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

const rasterParameters = defineParameters({
  perStep: integerParameter({ default: 1, min: 1, description: 'Positions committed per step, left to right.' }),
});

/** A plugin written outside src/: fills a block left to right, `perStep` argmax tokens per forward, returned as commits. */
class RasterBlockScheduler implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance = null;
  private context: SchedulerContext | undefined;
  private readonly commits = new CommitList(16);

  constructor(private readonly options: ParametersOf<typeof rasterParameters.shape>) {}

  plannedSteps(context: SchedulerContext): number {
    return Math.ceil(context.canvas.length / this.options.perStep);
  }

  begin(context: SchedulerContext): void {
    this.context = context;
  }

  step(logits: StepLogits, _info: StepInfo): StepDecision {
    const context = this.context;
    if (context === undefined) throw new Error('step before begin');
    const { canvas, candidates } = context;
    const commits = this.commits.clear();
    let open = 0;
    for (let row = 0; row < canvas.rows; row++) {
      let budget = this.options.perStep;
      for (let position = 0; position < canvas.length; position++) {
        if (canvas.known[row * canvas.length + position] === 1) continue;
        if (budget === 0) { open += 1; continue; }
        const base = logits.offset(row, position) + candidates.offset;
        let best = 0;
        for (let column = 1; column < candidates.count; column++) {
          if ((logits.data[base + column] as number) > (logits.data[base + best] as number)) best = column;
        }
        commits.push(row, position, candidates.offset + best);
        budget -= 1;
      }
    }
    return { commits, preview: null, done: open === 0 };
  }
}

const rasterDefinition: SchedulerDefinition = defineScheduler({
  name: 'raster-block',
  description: 'Left-to-right block filling (test plugin).',
  modalities: ['image'],
  parameters: rasterParameters,
  scheduler: RasterBlockScheduler,
});

describe('a third-party scheduler registered from outside src/', () => {
  it('is listed, gets its parsed options injected, and decodes through the engine', async () => {
    const target = [4, 11, 0, 15, 7, 7, 2, 9, 13];
    const model = knownImageModel({ vocabSize: T.vocabSize, imageStart: PROMPT_LENGTH + 1, imageOffset: T.imageOffset, target });
    const { engine, schedulers } = createEngine({ model, vocabulary: testVocabulary() });
    schedulers.register(rasterDefinition, 'test/third-party-scheduler-decodes.test.ts');
    expect(schedulers.names()).toEqual(['autoregressive', 'maskgit', 'raster-block']);
    expect(schedulers.get('raster-block').source).toBe('test/third-party-scheduler-decodes.test.ts');

    const steps: number[][] = [];
    const result = await engine.generate(t2iRequest({ scheduler: 'raster-block', options: { perStep: 4 } }), {
      onStep: (event) => steps.push([...(event.committed[0] ?? [])]),
    });
    expect(Array.from(result.rows[0]?.segments[1]?.tokens ?? [])).toEqual(target.map((code) => T.imageOffset + code));
    expect(steps).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
    expect(result.stats.forwardPasses).toBe(1 + 3);
    expect(result.stats.phases[0]?.scheduler).toBe('raster-block');
    expect(model.liveCaches()).toEqual([]);
  });

  it('its parameters are validated by its own schema', async () => {
    const model = knownImageModel({ vocabSize: T.vocabSize, imageStart: PROMPT_LENGTH + 1, imageOffset: T.imageOffset, target: [] });
    const { engine, schedulers } = createEngine({ model, vocabulary: testVocabulary() });
    schedulers.register({ ...rasterDefinition });
    await expect(engine.generate(t2iRequest({ scheduler: 'raster-block', options: { perStep: 0 } }))).rejects.toThrow(
      'segments[1].options.perStep: got 0, expected an integer >= 1',
    );
    await expect(engine.generate({
      segments: [{ type: 'tokens', ids: [T.bos] }, { type: 'generate', modality: 'text', scheduler: 'raster-block', length: 2 }],
    })).rejects.toThrow('scheduler "raster-block" cannot decode text segments; schedulers for text: autoregressive, maskgit');
  });
});
