import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { JanusIdSpace } from '../../src/backends/onnx/janus/janus-id-space.ts';
import { JanusTransformer } from '../../src/backends/onnx/janus/janus-transformer.ts';
import type { GenerateSegment, GenerationRequest, Modality } from '../../src/core/request.ts';
import { createEngine } from '../../src/omnidecode-container.ts';

/**
 * Our engine on a Janus-layout folder through JanusTransformer: greedy AR of a text or image
 * segment after a prompt, optionally with classifier-free guidance in transformers.js's form
 * (uncond + w (cond - uncond)) and Janus's unconditional row (the prompt all padding).
 */
interface JanusConfig {
  readonly language_config: { readonly vocab_size: number; readonly max_position_embeddings: number };
  readonly gen_head_config: { readonly params: { readonly image_token_size: number } };
  readonly bos_token_id: number;
  readonly eos_token_id: number;
  readonly pad_token_id: number;
}

export function janusIdSpace(folder: string, grid: number): JanusIdSpace {
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as JanusConfig;
  return new JanusIdSpace({
    textVocabSize: config.language_config.vocab_size, codebookSize: config.gen_head_config.params.image_token_size,
    bosTokenId: config.bos_token_id, eosTokenId: config.eos_token_id, padTokenId: config.pad_token_id,
    grid: { height: grid, width: grid },
  });
}

export interface OurJanusRun {
  readonly prompt: readonly number[];
  readonly modality: Modality;
  /** Text: the most new tokens; image: the token count (grid^2). */
  readonly length: number;
  readonly grid: number;
  readonly guidance?: number;
}

/** The new ids: text ids (EOS kept when the row stopped on it), or image codes. */
export async function ourJanusGreedy(folder: string, run: OurJanusRun): Promise<number[]> {
  const ids = janusIdSpace(folder, run.grid);
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as JanusConfig;
  const model = await JanusTransformer.load(folder, { ids, maxPositions: config.language_config.max_position_embeddings });
  try {
    const { engine } = createEngine({ model, vocabulary: ids.vocabulary });
    const generate: GenerateSegment = {
      type: 'generate', modality: run.modality, scheduler: 'autoregressive', length: run.length,
      options: { sampler: { draw: 'greedy' }, ...(run.guidance === undefined ? {} : { guidance: run.guidance, guidanceForm: 'standard' }) },
    };
    const request: GenerationRequest = {
      segments: [{ type: 'tokens', ids: run.prompt }, generate],
      ...(run.guidance === undefined ? {} : { unconditional: [{ type: 'tokens', ids: run.prompt.map(() => ids.enginePad) }, generate] }),
    };
    const result = await engine.generate(request, { seed: 0 });
    const segment = result.rows[0]?.segments[1];
    const tokens = segment?.tokens ?? new Int32Array(0);
    if (run.modality === 'image') return Array.from(tokens, (id) => ids.imageCode(id));
    const end = segment?.end ?? tokens.length;
    return Array.from(tokens.subarray(0, end < tokens.length ? end + 1 : end));
  } finally {
    await model.dispose();
  }
}
