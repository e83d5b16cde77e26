import { EvaluationClassifier } from '../../src/evaluation/evaluation-classifier.ts';
import type { ChatPart, ChatTurn } from '../../src/pipeline/chat-result.ts';
import type { OmnidecodePipeline } from '../../src/pipeline/omnidecode-pipeline.ts';
import type { GrayImage } from '../../src/tokenizers/png-image.ts';
import { loadChatModel } from './chat-cli.ts';

/** The chat model with its evaluation classifier (one session per test file). */
export async function loadChatModelWithClassifier(): Promise<{ pipeline: OmnidecodePipeline; classifier: EvaluationClassifier; dispose: () => Promise<void> }> {
  const pipeline = await loadChatModel();
  const classifier = await EvaluationClassifier.load(pipeline.folder);
  return { pipeline, classifier, dispose: async () => { await classifier.dispose(); await pipeline.dispose(); } };
}

export function imagesOf(turn: ChatTurn): GrayImage[] {
  return turn.parts.flatMap((part) => (part.kind === 'image' ? [part.image] : []));
}

/** The turn's parts as a short shape, e.g. "image text" (what a test expects the model to write). */
export function shapeOf(parts: readonly ChatPart[]): string {
  return parts.map((part) => part.kind).join(' ');
}
