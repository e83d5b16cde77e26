import 'reflect-metadata';
import { OmnidecodePipeline } from '../../src/pipeline/omnidecode-pipeline.ts';
import { EvaluationClassifier } from '../../src/evaluation/evaluation-classifier.ts';

/** The shipped default model with its evaluation classifier (one session per test file). */
export async function loadEmbeddedModel(): Promise<{ pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> }> {
  const pipeline = await OmnidecodePipeline.load({ threads: 1 });
  const classifier = await EvaluationClassifier.load(pipeline.folder);
  return {
    pipeline, classifier,
    dispose: async () => { await classifier.dispose(); await pipeline.dispose(); },
  };
}
