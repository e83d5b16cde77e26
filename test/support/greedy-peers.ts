import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { dirname, basename, join } from 'node:path';
import { OnnxTransformer } from '../../src/backends/onnx/onnx-transformer.ts';
import type { ForwardInput, ForwardOutput, Transformer } from '../../src/core/transformer.ts';
import type { GenerateSegment } from '../../src/core/request.ts';
import { createEngine } from '../../src/omnidecode-container.ts';
import { textOnlyVocabulary } from '../../src/pipeline/text-only-vocabulary.ts';

/**
 * Greedy AR on a Hugging Face layout folder (writeHuggingFaceDecoder) two ways: our engine over
 * OnnxTransformer, and transformers.js's generate() on the same files. Both return the new ids,
 * the EOS included when the row stopped on it.
 */

export const EOS = 2;
export const BOS = 1;

/** Every forward's kept logits positions per row, to see what the backend actually returned. */
export class RecordingTransformer implements Transformer {
  readonly kept: number[] = [];
  constructor(private readonly inner: Transformer) {}
  get info(): Transformer['info'] { return this.inner.info; }
  async forward(input: ForwardInput): Promise<ForwardOutput> {
    const output = await this.inner.forward(input);
    this.kept.push(output.logits.length / (output.vocabSize * input.batch));
    return output;
  }
  dispose(): Promise<void> { return this.inner.dispose(); }
}

export interface OurRun {
  readonly ids: number[];
  /** Logits positions each forward returned per row. */
  readonly kept: number[];
}

export async function ourGreedy(folder: string, prompt: readonly number[], maxNew: number, vocabSize: number,
  maxPositions: number, known?: readonly number[]): Promise<OurRun> {
  const model = new RecordingTransformer(await OnnxTransformer.load(join(folder, 'onnx', 'model.onnx'), { maxPositions }));
  try {
    const { engine } = createEngine({ model, vocabulary: textOnlyVocabulary(vocabSize, BOS, EOS) });
    const generate: GenerateSegment = {
      type: 'generate', modality: 'text', scheduler: 'autoregressive', length: maxNew,
      options: { sampler: { draw: 'greedy' } }, ...(known === undefined ? {} : { known }),
    };
    const result = await engine.generate({ segments: [{ type: 'tokens', ids: prompt }, generate] }, { seed: 0 });
    const segment = result.rows[0]?.segments[1];
    const tokens = segment?.tokens ?? new Int32Array(0);
    // The output ends before the EOS it stopped on; transformers.js keeps that EOS: so do we here.
    const end = segment?.end ?? tokens.length;
    return { ids: Array.from(tokens.subarray(0, end < tokens.length ? end + 1 : end)), kept: model.kept };
  } finally {
    await model.dispose();
  }
}

export async function transformersJsGreedy(folder: string, prompt: readonly number[], maxNew: number): Promise<number[]> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dirname(folder)}/`;
  const model = await AutoModelForCausalLM.from_pretrained(basename(folder), { dtype: 'fp32', local_files_only: true });
  try {
    const inputIds = new Tensor('int64', BigInt64Array.from(prompt, (id) => BigInt(id)), [1, prompt.length]);
    const attentionMask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);
    const output = await model.generate({
      inputs: inputIds, attention_mask: attentionMask, max_new_tokens: maxNew, do_sample: false, eos_token_id: EOS,
    });
    const sequences = 'sequences' in output ? output.sequences : output;
    if (!(sequences instanceof Tensor)) throw new Error('transformers.js generate() returned no sequences tensor');
    return Array.from(sequences.data as BigInt64Array, (id) => Number(id)).slice(prompt.length);
  } finally {
    await model.dispose();
  }
}
