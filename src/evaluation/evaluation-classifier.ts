import { readFile } from 'node:fs/promises';
import { ModelFileError } from '../core/errors.ts';
import { OnnxNodeBackend } from '../backends/onnx/onnx-node-backend.ts';
import type { TensorGraph } from '../core/tensor-graph.ts';
import type { TransformerBackend } from '../core/transformer-backend.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { resizeGray } from '../tokenizers/png-image.ts';
import type { ModelFolder } from '../pipeline/model-folder.ts';

export interface Classification {
  readonly labels: Int32Array;
  /** [images, dimension] penultimate features, for the Fréchet distance. */
  readonly features: Float64Array;
  readonly dimension: number;
}

export interface FeatureStatistics {
  readonly dimension: number;
  readonly count: number;
  readonly mean: readonly number[];
  /** Row-major [dimension, dimension]. */
  readonly covariance: readonly number[];
}

/** The independent CNN trained on real pixels: judges what a generated image shows. */
export class EvaluationClassifier {
  private constructor(private readonly graph: TensorGraph, readonly classes: readonly string[], readonly imageSize: number, readonly reference: FeatureStatistics) {}

  /** Loads the classifier graph with `backend` (onnxruntime-node by default). */
  static async load(folder: ModelFolder, backend: TransformerBackend = new OnnxNodeBackend()): Promise<EvaluationClassifier> {
    const { config } = folder;
    const { classifier } = config;
    const configPath = folder.file('config.json');
    if (classifier === undefined) {
      throw new ModelFileError('classifier', undefined, 'a classifier block (file, classes, fidStats) in config.json',
        `${configPath} has no classifier: evaluation needs one (classifier: { file, classes, fidStats }, see docs/model-format.md); the model's other tasks do not`);
    }
    if (config.vq.channels !== 1) {
      throw new ModelFileError('vq.channels', config.vq.channels, '1 (the evaluation classifier reads gray images)',
        `${configPath}: the evaluation classifier reads gray [B, 1, S, S] images, but this model's images have ${config.vq.channels} channels`);
    }
    const graph = await backend.loadGraph(folder.file(classifier.file), { expectedInputs: ['pixels'], expectedOutputs: ['logits', 'features'] });
    const statsPath = folder.file(classifier.fidStats);
    let stats: FeatureStatistics;
    try {
      stats = JSON.parse(await readFile(statsPath, 'utf8')) as FeatureStatistics;
    } catch (error) {
      throw new ModelFileError('fid stats', statsPath, 'a JSON file with dimension, count, mean, covariance', `${statsPath}: ${(error as Error).message}`);
    }
    if (stats.mean.length !== stats.dimension || stats.covariance.length !== stats.dimension * stats.dimension) {
      throw new ModelFileError('fid stats', statsPath, `mean of ${stats.dimension} and covariance of ${stats.dimension ** 2} numbers`);
    }
    return new EvaluationClassifier(graph, classifier.classes, config.vq.imageSize, stats);
  }

  async classify(images: readonly GrayImage[]): Promise<Classification> {
    const size = this.imageSize;
    const pixels = new Float32Array(images.length * size * size);
    images.forEach((image, index) => {
      const fitted = image.width === size && image.height === size ? image : resizeGray(image, size, size);
      pixels.set(fitted.pixels, index * size * size);
    });
    const out = await this.graph.run({ pixels: { type: 'float32', data: pixels, dims: [images.length, 1, size, size] } });
    const logits = out.logits?.data as Float32Array;
    const features = out.features;
    if (logits === undefined || features === undefined) throw new ModelFileError('classifier outputs', Object.keys(out), 'logits and features');
    const classes = logits.length / images.length;
    const labels = new Int32Array(images.length);
    for (let i = 0; i < images.length; i++) {
      let best = 0;
      for (let c = 1; c < classes; c++) if ((logits[i * classes + c] as number) > (logits[i * classes + best] as number)) best = c;
      labels[i] = best;
    }
    const dimension = (features.dims[1] as number);
    return { labels, features: Float64Array.from(features.data as Float32Array), dimension };
  }

  async dispose(): Promise<void> {
    await this.graph.dispose();
  }
}
