import * as ort from 'onnxruntime-node';
import { ForwardQueue } from './forward-queue.ts';
import { checkForwardInput } from './forward-input-check.ts';
import { ModelFileError, OmnidecodeError } from '../../core/errors.ts';
import type { TransformerLoadOptions } from '../../core/transformer-backend.ts';
import type { ForwardInput, ForwardOutput, Transformer, TransformerInfo } from '../../core/transformer.ts';
import { float16ToFloat32 } from './float16.ts';
import { OnnxKeyValueCache } from './onnx-kv-cache.ts';
import { inputMismatch, nameDifference } from './onnx-name-check.ts';
import { createSession } from './onnx-session.ts';
import { fixedDim, parseSignature, tensorMetadata, type TransformerSignature } from './onnx-signature.ts';
import { TransformerFeeds } from './onnx-transformer-feeds.ts';

export type OnnxTransformerOptions = TransformerLoadOptions;

/**
 * Decoder with KV cache over ONNX Runtime. Forwards run one at a time (they share the input
 * buffers), in call order. A past of length 0 is fed as zero-size [B, heads, 0, headDim]
 * tensors, which ORT's Concat accepts. Standard exports as people produce them load too: int32 or
 * int64 ids, positions and masks, float16 past/present (passed through) and logits (converted),
 * `num_logits_to_keep` (1 when the caller reads only the last position) and `use_cache_branch`.
 */
export class OnnxTransformer implements Transformer {
  readonly info: TransformerInfo;
  readonly path: string;
  readonly signature: TransformerSignature;
  private readonly session: ort.InferenceSession;
  private readonly feeds: TransformerFeeds;
  private readonly queue = new ForwardQueue();
  private released = false;

  private constructor(path: string, session: ort.InferenceSession, signature: TransformerSignature, info: TransformerInfo) {
    this.path = path;
    this.session = session;
    this.signature = signature;
    this.info = info;
    this.feeds = new TransformerFeeds(signature);
  }

  static async load(path: string, options: OnnxTransformerOptions = {}): Promise<OnnxTransformer> {
    const session = await createSession(path, options);
    try {
      const signature = parseSignature(session, path, options);
      const fileVocab = fixedDim(tensorMetadata(session, 'logits', true), 2);
      if (fileVocab !== undefined && options.vocabSize !== undefined && fileVocab !== options.vocabSize) {
        throw new ModelFileError('vocabSize', fileVocab, `${options.vocabSize} (options.vocabSize)`,
          `${path}: logits have ${fileVocab} columns, expected vocabSize ${options.vocabSize}`);
      }
      if (options.maxPositions === undefined) {
        throw new OmnidecodeError('maxPositions', undefined, 'options.maxPositions',
          `${path}: pass options.maxPositions (an ONNX graph does not expose how many positions it embeds; config.json has it)`);
      }
      const partial: TransformerInfo = {
        vocabSize: fileVocab ?? options.vocabSize ?? 0,
        maxPositions: options.maxPositions,
        numLayers: signature.numLayers,
        supportsOmniAttention: signature.maskRank === 4,
      };
      const transformer = new OnnxTransformer(path, session, signature, partial);
      if (partial.vocabSize === 0) {
        // Neither the file nor the caller fixes the vocabulary: one forward of one token tells.
        const output = await transformer.forward({
          inputIds: new Int32Array(1), positionIds: new Int32Array(1), attentionMask: new Uint8Array([1]), batch: 1, length: 1,
        });
        output.present.dispose();
        return new OnnxTransformer(path, session, signature, { ...partial, vocabSize: output.vocabSize });
      }
      return transformer;
    } catch (error) {
      await session.release();
      throw error;
    }
  }

  forward(input: ForwardInput): Promise<ForwardOutput> {
    return this.queue.run(() => this.run(input));
  }

  private async run(input: ForwardInput): Promise<ForwardOutput> {
    const pastLength = checkForwardInput(input, this.released, this.path);
    const { batch, length } = input;
    const { numLayers } = this.signature;
    const feeds = this.feeds.build(input, pastLength);
    const pastLayers = input.past instanceof OnnxKeyValueCache ? input.past.layers : undefined;
    for (let i = 0; i < numLayers; i++) {
      const layer = pastLayers?.[i];
      feeds[`past_key_values.${i}.key`] = layer === undefined ? this.feeds.emptyPastTensor(batch) : layer[0] as ort.Tensor;
      feeds[`past_key_values.${i}.value`] = layer === undefined ? this.feeds.emptyPastTensor(batch) : layer[1] as ort.Tensor;
    }
    const names = Object.keys(feeds);
    if (names.length !== this.session.inputNames.length || nameDifference(names, this.session.inputNames).missing.length > 0) {
      throw inputMismatch(this.path, 'transformer feeds', names, this.session.inputNames);
    }

    const results = await this.session.run(feeds);
    const logits = results.logits;
    // With num_logits_to_keep = 1 the file gives the last position only.
    const kept = input.logitsFor === 'last' && this.feeds.keepsLastOnly ? 1 : length;
    if (logits === undefined || logits.type !== this.signature.logitsType || logits.dims.length !== 3 ||
        logits.dims[0] !== batch || logits.dims[1] !== kept) {
      for (const value of Object.values(results)) value.dispose();
      const expected = `${this.signature.logitsType} [${batch}, ${kept}, vocab]`;
      throw new ModelFileError('logits', logits?.dims ?? 'none', expected,
        `${this.path}: logits output is ${logits === undefined ? 'missing' : `${logits.type} [${logits.dims.join(', ')}]`}, expected ${expected}`);
    }
    const layers: Array<readonly [ort.Tensor, ort.Tensor]> = [];
    for (let i = 0; i < numLayers; i++) {
      const key = results[`present.${i}.key`];
      const value = results[`present.${i}.value`];
      if (key === undefined || value === undefined) {
        throw new ModelFileError('present', i, `present.${i}.key and present.${i}.value outputs`, `${this.path}: present.${i} missing from outputs`);
      }
      layers.push([key, value]);
    }
    return {
      logits: float32Logits(logits),
      vocabSize: logits.dims[2] ?? 0,
      present: new OnnxKeyValueCache(layers),
    };
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue.idle();
    await this.session.release();
  }
}

/**
 * float32 logits as the runtime gave them; float16 ones (Uint16Array bits, or a Float16Array where
 * the platform has one) converted into a new array: the caller may hold the previous forward's
 * logits while this one runs, so a shared buffer cannot be reused.
 */
function float32Logits(logits: ort.Tensor): Float32Array {
  const data = logits.data;
  if (data instanceof Float32Array) return data;
  if (data instanceof Uint16Array) return float16ToFloat32(data, new Float32Array(data.length));
  return Float32Array.from(data as ArrayLike<number>);
}
