import * as ort from 'onnxruntime-node';
import { InvalidRequestError, ModelFileError, OmnidecodeError } from '../../core/errors.ts';
import type { TransformerLoadOptions } from '../../core/transformer-backend.ts';
import type { ForwardInput, ForwardOutput, Transformer, TransformerInfo } from '../../core/transformer.ts';
import { GrowingBuffer } from './growing-buffer.ts';
import { OnnxKeyValueCache } from './onnx-kv-cache.ts';
import { inputMismatch, nameDifference } from './onnx-name-check.ts';
import { createSession } from './onnx-session.ts';
import { fixedDim, parseSignature, tensorMetadata, type IdType, type TransformerSignature } from './onnx-signature.ts';

export type OnnxTransformerOptions = TransformerLoadOptions;

/**
 * Decoder with KV cache over ONNX Runtime. Forwards run one at a time (they share the input
 * buffers), in call order. A past of length 0 is fed as zero-size [B, heads, 0, headDim]
 * tensors, which ORT's Concat accepts.
 */
export class OnnxTransformer implements Transformer {
  readonly info: TransformerInfo;
  readonly path: string;
  readonly signature: TransformerSignature;
  private readonly session: ort.InferenceSession;
  private readonly ids = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly positions = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly mask4d = new GrowingBuffer((n) => new Float32Array(n));
  private readonly mask2dFloat = new GrowingBuffer((n) => new Float32Array(n));
  private readonly mask2dInt64 = new GrowingBuffer((n) => new BigInt64Array(n));
  private queue: Promise<unknown> = Promise.resolve();
  private released = false;

  private constructor(path: string, session: ort.InferenceSession, signature: TransformerSignature, info: TransformerInfo) {
    this.path = path;
    this.session = session;
    this.signature = signature;
    this.info = info;
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
    const run = this.queue.then(() => this.run(input));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private validate(input: ForwardInput): number {
    const { batch, length, past } = input;
    if (this.released) throw new InvalidRequestError('transformer', this.path, 'a transformer not yet disposed');
    if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(length) || length < 1) {
      throw new InvalidRequestError('forward batch/length', { batch, length }, 'integers >= 1');
    }
    if (past !== undefined && !(past instanceof OnnxKeyValueCache)) {
      throw new InvalidRequestError('past', 'a foreign KV cache', 'a KV cache returned by this backend');
    }
    if (past !== undefined && past.batch !== batch) {
      throw new InvalidRequestError('past batch', past.batch, `${batch} (the forward's batch)`);
    }
    const pastLength = past?.length ?? 0;
    const tokens = batch * length;
    if (input.inputIds.length !== tokens) throw new InvalidRequestError('inputIds length', input.inputIds.length, `${tokens} (batch x length)`);
    if (input.positionIds.length !== tokens) throw new InvalidRequestError('positionIds length', input.positionIds.length, `${tokens} (batch x length)`);
    const maskLength = tokens * (pastLength + length);
    if (input.attentionMask.length !== maskLength) {
      throw new InvalidRequestError('attentionMask length', input.attentionMask.length, `${maskLength} (batch x length x (past ${pastLength} + length))`);
    }
    return pastLength;
  }

  private ids64(buffer: GrowingBuffer<BigInt64Array>, source: Int32Array): BigInt64Array {
    const out = buffer.view(source.length);
    for (let i = 0; i < source.length; i++) out[i] = BigInt(source[i] ?? 0);
    return out;
  }

  private idTensor(type: IdType, buffer: GrowingBuffer<BigInt64Array>, source: Int32Array, dims: readonly number[]): ort.Tensor {
    // int32 graphs take the caller's array as is (ORT only reads it during the run).
    return type === 'int32' ? new ort.Tensor('int32', source, dims) : new ort.Tensor('int64', this.ids64(buffer, source), dims);
  }

  private maskTensor(input: ForwardInput, pastLength: number): ort.Tensor {
    const { batch, length, attentionMask } = input;
    const total = pastLength + length;
    if (this.signature.maskRank === 4) {
      const out = this.mask4d.view(attentionMask.length);
      for (let i = 0; i < attentionMask.length; i++) out[i] = attentionMask[i] === 0 ? 0 : 1;
      return new ort.Tensor('float32', out, [batch, 1, length, total]);
    }
    // A standard export only takes which keys are real: column k counts as visible iff the last
    // query row may attend it (with left padding the last row is a real token seeing every
    // non-pad key; the model adds causality itself, so bidirectional blocks are not honoured).
    const columns = new Uint8Array(batch * total);
    for (let b = 0; b < batch; b++) {
      const lastRow = (b * length + length - 1) * total;
      for (let k = 0; k < total; k++) columns[b * total + k] = attentionMask[lastRow + k] === 0 ? 0 : 1;
    }
    const dims = [batch, total];
    switch (this.signature.maskType) {
      case 'int64': {
        const out = this.mask2dInt64.view(columns.length);
        for (let i = 0; i < columns.length; i++) out[i] = columns[i] === 1 ? 1n : 0n;
        return new ort.Tensor('int64', out, dims);
      }
      case 'int32':
        return new ort.Tensor('int32', Int32Array.from(columns), dims);
      case 'float32': {
        const out = this.mask2dFloat.view(columns.length);
        for (let i = 0; i < columns.length; i++) out[i] = columns[i] ?? 0;
        return new ort.Tensor('float32', out, dims);
      }
    }
  }

  private async run(input: ForwardInput): Promise<ForwardOutput> {
    const pastLength = this.validate(input);
    const { batch, length } = input;
    const { numLayers, numHeads, headDim, inputIdsType, positionIdsType } = this.signature;
    const dims = [batch, length];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: this.idTensor(inputIdsType, this.ids, input.inputIds, dims),
      attention_mask: this.maskTensor(input, pastLength),
    };
    if (positionIdsType !== undefined) feeds.position_ids = this.idTensor(positionIdsType, this.positions, input.positionIds, dims);
    const pastLayers = input.past instanceof OnnxKeyValueCache ? input.past.layers : undefined;
    const empty = new Float32Array(0);
    for (let i = 0; i < numLayers; i++) {
      const layer = pastLayers?.[i];
      const emptyDims = [batch, numHeads, 0, headDim];
      feeds[`past_key_values.${i}.key`] = layer === undefined ? new ort.Tensor('float32', empty, emptyDims) : layer[0] as ort.Tensor;
      feeds[`past_key_values.${i}.value`] = layer === undefined ? new ort.Tensor('float32', empty, emptyDims) : layer[1] as ort.Tensor;
    }
    const names = Object.keys(feeds);
    if (names.length !== this.session.inputNames.length || nameDifference(names, this.session.inputNames).missing.length > 0) {
      throw inputMismatch(this.path, 'transformer feeds', names, this.session.inputNames);
    }

    const results = await this.session.run(feeds);
    const logits = results.logits;
    if (logits === undefined || logits.type !== 'float32' || logits.dims.length !== 3 ||
        logits.dims[0] !== batch || logits.dims[1] !== length) {
      for (const value of Object.values(results)) value.dispose();
      throw new ModelFileError('logits', logits?.dims ?? 'none', `float32 [${batch}, ${length}, vocab]`,
        `${this.path}: logits output is ${logits === undefined ? 'missing' : `${logits.type} [${logits.dims.join(', ')}]`}, expected float32 [${batch}, ${length}, vocab]`);
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
      logits: logits.data as Float32Array,
      vocabSize: logits.dims[2] ?? 0,
      present: new OnnxKeyValueCache(layers),
    };
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue;
    await this.session.release();
  }
}
