import { parseSeed } from '../core/config/parse-seed.ts';
import { ConfigError } from '../core/errors.ts';
import type { GenerationStats } from '../core/generation-result.ts';
import { textToImageRequest } from '../pipeline/text-to-image-request.ts';
import { jobStream } from './job-stream.ts';
import { loadSweepModel, type SweepModel, type SweepModelOptions } from './sweep-model.ts';
import type { SweepJob, SweepJobResult } from './sweep-job.ts';
import { tokensHash } from './tokens-hash.ts';

export interface JobRunOptions {
  readonly signal?: AbortSignal;
  /** The engine's statistics of the job's decode (model and scheduler time): the bench's engine-overhead figures. */
  readonly onGeneration?: (job: SweepJob, stats: GenerationStats) => void;
}

/**
 * Runs one sweep job: decodes its image alone (batch 1) from its own random stream (the job's seed,
 * stream `sweep-<imageIndex>`), VQ-decodes it and has the evaluation classifier label it. The model
 * and classifier are loaded once and serve every job; the same job gives the same tokens wherever
 * it runs with the same model (the job carries the model's hash and is refused by another model).
 */
export class SweepJobRunner {
  private constructor(private readonly model: SweepModel, private readonly owned: boolean, readonly ranBy: string) {}

  /** A runner over an already loaded model (the caller disposes it). */
  static over(model: SweepModel, ranBy = 'in-process'): SweepJobRunner {
    return new SweepJobRunner(model, false, ranBy);
  }

  /** Loads the plugins, model and classifier for a worker; dispose() frees them. */
  static async load(options: SweepModelOptions, ranBy: string): Promise<SweepJobRunner> {
    return new SweepJobRunner(await loadSweepModel(options), true, ranBy);
  }

  get modelHash(): string { return this.model.modelHash; }

  async run(job: SweepJob, options: JobRunOptions = {}): Promise<SweepJobResult> {
    const { pipeline, classifier } = this.model;
    if (job.modelHash !== this.model.modelHash) {
      throw new ConfigError('modelHash', job.modelHash, `this model's hash ${this.model.modelHash}`,
        `job ${job.id} was planned for model ${job.modelHash}, but this runner has model ${this.model.modelHash} (${pipeline.folder.dir}): ` +
        'run it with the sweep\'s model');
    }
    const seed = parseSeed(job.seed, 'seed');
    const scheduler = pipeline.schedulerFor('image', job.scheduler);
    const request = textToImageRequest(pipeline.encodeText(job.prompt), pipeline.vocabulary, pipeline.promptLayout, scheduler);
    const started = performance.now();
    const result = await pipeline.engine.generate(request, { seed, stream: jobStream(job.imageIndex), ...(options.signal ? { signal: options.signal } : {}) });
    const wallMs = performance.now() - started;
    options.onGeneration?.(job, result.stats);
    const tokens = result.rows[0]?.segments[1]?.tokens;
    if (tokens === undefined) throw new ConfigError('result', result.rows.length, 'one row with a generated image segment');
    const codes = tokens.map((id) => pipeline.vocabulary.idToCode(id));
    const images = await pipeline.imageTokenizer.decode([codes]);
    const judged = await classifier.classify(images);
    return {
      id: job.id, setting: job.setting, settingLabel: job.settingLabel, seed: job.seed, imageIndex: job.imageIndex,
      prompt: job.prompt, classIndex: job.classIndex, tokensHash: tokensHash(codes), forwards: result.stats.forwardPasses,
      wallMs, predicted: judged.labels[0] as number, features: Array.from(judged.features), ranBy: this.ranBy,
    };
  }

  /** One untimed decode, so the first job's wall time does not carry the sessions' first-run cost. */
  async warmUp(): Promise<void> {
    const { pipeline } = this.model;
    const request = textToImageRequest(pipeline.encodeText(''), pipeline.vocabulary, pipeline.promptLayout, pipeline.schedulerFor('image'));
    const result = await pipeline.engine.generate(request, { seed: 0, stream: 'sweep-warm-up' });
    const codes = (result.rows[0]?.segments[1]?.tokens ?? new Int32Array(0)).map((id) => pipeline.vocabulary.idToCode(id));
    await this.model.classifier.classify(await pipeline.imageTokenizer.decode([codes]));
  }

  async dispose(): Promise<void> {
    if (this.owned) await this.model.dispose();
  }
}
