import { createNodeSchedulerContainer } from '../node/node-scheduler-container.ts';
import { loadPluginsOrThrow, type PluginLoadResult } from '../node/plugin-loader.ts';
import { EvaluationClassifier } from '../evaluation/evaluation-classifier.ts';
import { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';
import { modelHash } from './model-hash.ts';

export interface SweepModelOptions {
  /** Model folder; the embedded default model when null or omitted. */
  readonly model?: string | null;
  /** Plugins as a config names them: shipped names (halton, ...), paths or packages. */
  readonly plugins?: readonly string[];
  /** Folder relative plugin paths resolve against (the sweep file's). */
  readonly baseDir?: string;
  /** ONNX Runtime intra-op threads; its default (the machine's cores) when omitted. */
  readonly threads?: number;
  readonly onWarning?: (message: string) => void;
}

/** What running or planning a sweep needs, loaded once: the pipeline, the evaluation classifier and the model's hash. */
export interface SweepModel {
  readonly pipeline: OmnidecodePipeline;
  readonly classifier: EvaluationClassifier;
  readonly modelHash: string;
  readonly plugins: readonly PluginLoadResult[];
  dispose(): Promise<void>;
}

/** Loads the plugins (so their schedulers validate), the model and its classifier; hashes the model's files. */
export async function loadSweepModel(options: SweepModelOptions = {}): Promise<SweepModel> {
  const { container } = createNodeSchedulerContainer();
  const plugins = await loadPluginsOrThrow(options.plugins ?? [], container, options.baseDir);
  const pipeline = await OmnidecodePipeline.load({
    container, ...(options.model ? { model: options.model } : {}), ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
  try {
    const classifier = await EvaluationClassifier.load(pipeline.folder);
    try {
      const hash = await modelHash(pipeline.folder);
      return {
        pipeline, classifier, modelHash: hash, plugins,
        dispose: async () => {
          await classifier.dispose();
          await pipeline.dispose();
        },
      };
    } catch (error) {
      await classifier.dispose();
      throw error;
    }
  } catch (error) {
    await pipeline.dispose();
    throw error;
  }
}
