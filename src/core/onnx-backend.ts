import { stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { InvalidRequestError, ModelFileError, OmnidecodeError } from './errors.ts';
import type { NamedTensor, TensorGraph } from './tensor-graph.ts';
import type { ForwardInput, ForwardOutput, KeyValueCache, Transformer, TransformerInfo } from './transformer.ts';

/**
 * The ONNX Runtime backend: the only module that imports onnxruntime-node. `OnnxTransformer`
 * runs the unified decoder (our omni models with a 4D mask, or a standard decoder-only export
 * with a 2D padding mask); `OnnxGraph` runs plain graphs (VQ encoder/decoder, classifier).
 */

export interface SessionOptions {
  readonly intraOpThreads?: number;
  readonly interOpThreads?: number;
  readonly graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

export interface OnnxTransformerOptions extends SessionOptions {
  /** Expected layer count; checked against the file's past_key_values inputs. */
  readonly layers?: number;
  /** Used when the file's logits shape does not fix it; otherwise checked against it. */
  readonly vocabSize?: number;
  /** Positions the model embeds. The graph does not expose it, so give it (config.json has it). */
  readonly maxPositions?: number;
  /** KV heads and head size, when the past inputs' shapes are symbolic. */
  readonly numHeads?: number;
  readonly headDim?: number;
  /** Reject a standard 2D-mask export (for callers that need bidirectional image blocks). */
  readonly requireOmniAttention?: boolean;
}

export interface OnnxGraphOptions extends SessionOptions {
  /** When given, the file's input names must be exactly these (any order). */
  readonly expectedInputs?: readonly string[];
  /** When given, the file must produce at least these outputs. */
  readonly expectedOutputs?: readonly string[];
}

type IdType = 'int64' | 'int32';

/** What `OnnxTransformer.load` read from the file. */
export interface TransformerSignature {
  /** 4: float32 [B, 1, L, P+L] omni mask; 2: [B, P+L] padding mask of a standard export. */
  readonly maskRank: 4 | 2;
  readonly maskType: 'float32' | 'int64' | 'int32';
  readonly inputIdsType: IdType;
  /** undefined when the file has no position_ids input (allowed for standard exports). */
  readonly positionIdsType: IdType | undefined;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly inputNames: readonly string[];
}

// ---- sessions and feed checks ---------------------------------------------------------------

async function createSession(path: string, options: SessionOptions): Promise<ort.InferenceSession> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
  } catch {
    throw new ModelFileError('model file', path, 'an existing ONNX file', `model file not found: ${path}`);
  }
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    ...(options.intraOpThreads === undefined ? {} : { intraOpNumThreads: options.intraOpThreads }),
    ...(options.interOpThreads === undefined ? {} : { interOpNumThreads: options.interOpThreads }),
  };
  try {
    return await ort.InferenceSession.create(path, sessionOptions);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const failure = new ModelFileError('model file', path, 'a valid ONNX model', `cannot load ONNX model ${path}: ${reason}`);
    failure.cause = error;
    throw failure;
  }
}

/** Names in `expected` but not `actual`, and in `actual` but not `expected`. */
function nameDifference(actual: readonly string[], expected: readonly string[]): { missing: string[]; extra: string[] } {
  const have = new Set(actual);
  const want = new Set(expected);
  return {
    missing: expected.filter((name) => !have.has(name)),
    extra: actual.filter((name) => !want.has(name)),
  };
}

function inputMismatch(path: string, what: string, actual: readonly string[], expected: readonly string[], detail = ''): ModelFileError {
  const { missing, extra } = nameDifference(actual, expected);
  const parts = [
    missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
    extra.length > 0 ? `extra: ${extra.join(', ')}` : '',
  ].filter((part) => part !== '');
  return new ModelFileError(what, actual, `inputs ${expected.join(', ')}`,
    `${path}: ${what} do not match (${parts.join('; ')})${detail}; expected: ${expected.join(', ')}`);
}

function tensorMetadata(session: ort.InferenceSession, name: string, outputs = false): ort.InferenceSession.TensorValueMetadata | undefined {
  const all = outputs ? session.outputMetadata : session.inputMetadata;
  const found = all.find((m) => m.name === name);
  return found !== undefined && found.isTensor ? found : undefined;
}

function fixedDim(meta: ort.InferenceSession.TensorValueMetadata | undefined, axis: number): number | undefined {
  const dim = meta?.shape[axis];
  return typeof dim === 'number' && dim > 0 ? dim : undefined;
}

// ---- the KV cache -------------------------------------------------------------------------

/** The part of an ORT tensor the cache relies on (tests substitute counting fakes). */
export interface CacheTensor {
  readonly dims: readonly number[];
  dispose(): void;
}

/** present.{i}.key/value of one forward: [key, value] per layer, each [B, heads, length, headDim]. */
export class OnnxKeyValueCache<T extends CacheTensor = CacheTensor> implements KeyValueCache {
  readonly batch: number;
  readonly length: number;
  private layerTensors: ReadonlyArray<readonly [T, T]> | undefined;

  constructor(layers: ReadonlyArray<readonly [T, T]>) {
    const first = layers[0]?.[0];
    if (first === undefined) throw new OmnidecodeError('KV cache layers', layers.length, 'at least one layer');
    this.batch = first.dims[0] ?? 0;
    this.length = first.dims[2] ?? 0;
    this.layerTensors = layers;
  }

  get disposed(): boolean {
    return this.layerTensors === undefined;
  }

  /** Key and value of each layer; throws once disposed. */
  get layers(): ReadonlyArray<readonly [T, T]> {
    if (this.layerTensors === undefined) {
      throw new InvalidRequestError('past', 'a disposed KV cache', 'a live KV cache (it was disposed)');
    }
    return this.layerTensors;
  }

  dispose(): void {
    const layers = this.layerTensors;
    // Dropping the reference first keeps a second call (or a throw below) from disposing twice.
    this.layerTensors = undefined;
    if (layers === undefined) return;
    for (const [key, value] of layers) {
      key.dispose();
      value.dispose();
    }
  }
}

// ---- reusable input buffers ---------------------------------------------------------------

/** A typed buffer that grows to the largest size asked for and hands out exact-length views. */
class GrowingBuffer<A extends Float32Array | BigInt64Array> {
  private buffer: A;
  constructor(private readonly create: (length: number) => A) {
    this.buffer = create(0);
  }
  view(length: number): A {
    if (this.buffer.length < length) this.buffer = this.create(length);
    return this.buffer.subarray(0, length) as A;
  }
}

// ---- OnnxTransformer --------------------------------------------------------------------------

function parseSignature(session: ort.InferenceSession, path: string, options: OnnxTransformerOptions): TransformerSignature {
  const inputs = session.inputNames;
  const outputs = session.outputNames;
  let numLayers = 0;
  while (inputs.includes(`past_key_values.${numLayers}.key`)) numLayers++;

  const maskMeta = tensorMetadata(session, 'attention_mask');
  const maskType = maskMeta?.type;
  // The rank decides; when the file leaves the shape out, the usual dtypes do (float = 4D omni mask).
  const maskRank = maskMeta !== undefined && maskMeta.shape.length > 0
    ? maskMeta.shape.length
    : (maskType === 'float32' ? 4 : 2);
  const hasPositionIds = inputs.includes('position_ids');
  const expected = [
    'input_ids',
    ...(hasPositionIds || maskRank === 4 ? ['position_ids'] : []),
    'attention_mask',
    ...Array.from({ length: numLayers }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat(),
  ];
  const omniExpected = ['input_ids', 'position_ids', 'attention_mask (float32 [batch, 1, length, past + length])',
    'past_key_values.{i}.key', 'past_key_values.{i}.value'];
  if (numLayers === 0 || !inputs.includes('input_ids') || !inputs.includes('attention_mask')) {
    throw inputMismatch(path, 'transformer inputs', inputs, expected.length > 3 ? expected : omniExpected,
      numLayers === 0 ? ' (no past_key_values.{i}.key inputs: not a decoder with KV cache)' : '');
  }
  if (nameDifference(inputs, expected).missing.length > 0 || nameDifference(inputs, expected).extra.length > 0) {
    throw inputMismatch(path, 'transformer inputs', inputs, expected);
  }
  const expectedOutputs = ['logits', ...Array.from({ length: numLayers }, (_, i) => [`present.${i}.key`, `present.${i}.value`]).flat()];
  const missingOutputs = nameDifference(outputs, expectedOutputs).missing;
  if (missingOutputs.length > 0) {
    throw new ModelFileError('transformer outputs', outputs, `outputs ${expectedOutputs.join(', ')}`,
      `${path}: transformer outputs missing: ${missingOutputs.join(', ')}; expected: ${expectedOutputs.join(', ')}`);
  }
  if (options.layers !== undefined && options.layers !== numLayers) {
    throw new ModelFileError('transformer layers', numLayers, `${options.layers} (options.layers)`,
      `${path}: has ${numLayers} layers (past_key_values inputs), expected ${options.layers}`);
  }

  if (maskRank === 4) {
    if (maskType !== undefined && maskType !== 'float32') {
      throw new ModelFileError('attention_mask type', maskType, 'float32 for a 4D mask', `${path}: 4D attention_mask is ${maskType}, expected float32`);
    }
  } else if (maskRank === 2) {
    if (maskType !== undefined && maskType !== 'int64' && maskType !== 'int32' && maskType !== 'float32') {
      throw new ModelFileError('attention_mask type', maskType, 'int64, int32 or float32 for a 2D mask', `${path}: 2D attention_mask is ${maskType}`);
    }
    if (options.requireOmniAttention === true) {
      throw new ModelFileError('attention_mask', `[${maskMeta?.shape.join(', ') ?? ''}]`, 'float32 [batch, 1, length, past + length]',
        `${path}: attention_mask is 2D (a standard decoder export), but a 4D omni-attention mask input is required; ` +
        `expected inputs: ${omniExpected.join(', ')}`);
    }
  } else {
    throw new ModelFileError('attention_mask rank', maskRank, '4 (omni) or 2 (standard)', `${path}: attention_mask has rank ${maskRank}, expected 4 or 2`);
  }

  const idType = (name: string): IdType => {
    const type = tensorMetadata(session, name)?.type ?? 'int64';
    if (type !== 'int64' && type !== 'int32') {
      throw new ModelFileError(`${name} type`, type, 'int64 or int32', `${path}: ${name} is ${type}, expected int64 or int32`);
    }
    return type;
  };

  const pastMeta = tensorMetadata(session, 'past_key_values.0.key');
  const presentMeta = tensorMetadata(session, 'present.0.key', true);
  const numHeads = fixedDim(pastMeta, 1) ?? fixedDim(presentMeta, 1) ?? options.numHeads;
  const headDim = fixedDim(pastMeta, 3) ?? fixedDim(presentMeta, 3) ?? options.headDim;
  if (numHeads === undefined || headDim === undefined) {
    throw new ModelFileError('past_key_values shape', pastMeta?.shape ?? [], 'fixed heads and head size, or options.numHeads and options.headDim',
      `${path}: past_key_values.0.key has no fixed heads/head size; pass options.numHeads and options.headDim`);
  }
  for (const [name, given, found] of [['numHeads', options.numHeads, numHeads], ['headDim', options.headDim, headDim]] as const) {
    if (given !== undefined && given !== found) {
      throw new ModelFileError(name, found, `${given} (options.${name})`, `${path}: ${name} is ${found}, expected ${given}`);
    }
  }
  return {
    maskRank: maskRank === 4 ? 4 : 2,
    maskType: (maskType ?? (maskRank === 4 ? 'float32' : 'int64')) as TransformerSignature['maskType'],
    inputIdsType: idType('input_ids'),
    positionIdsType: hasPositionIds ? idType('position_ids') : undefined,
    numLayers,
    numHeads,
    headDim,
    inputNames: [...inputs],
  };
}

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

// ---- OnnxGraph --------------------------------------------------------------------------------

/** A plain graph: named tensors in, named tensors out. */
export class OnnxGraph implements TensorGraph {
  readonly path: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private readonly session: ort.InferenceSession;
  private released = false;

  private constructor(path: string, session: ort.InferenceSession) {
    this.path = path;
    this.session = session;
    this.inputNames = [...session.inputNames];
    this.outputNames = [...session.outputNames];
  }

  static async load(path: string, options: OnnxGraphOptions = {}): Promise<OnnxGraph> {
    const session = await createSession(path, options);
    const { expectedInputs, expectedOutputs } = options;
    const inputs = session.inputNames;
    const outputs = session.outputNames;
    let failure: ModelFileError | undefined;
    if (expectedInputs !== undefined) {
      const { missing, extra } = nameDifference(inputs, expectedInputs);
      if (missing.length > 0 || extra.length > 0) failure = inputMismatch(path, 'graph inputs', inputs, expectedInputs);
    }
    if (failure === undefined && expectedOutputs !== undefined) {
      const { missing } = nameDifference(outputs, expectedOutputs);
      if (missing.length > 0) {
        failure = new ModelFileError('graph outputs', outputs, `outputs ${expectedOutputs.join(', ')}`,
          `${path}: graph outputs missing: ${missing.join(', ')}; expected: ${expectedOutputs.join(', ')}`);
      }
    }
    if (failure !== undefined) {
      await session.release();
      throw failure;
    }
    return new OnnxGraph(path, session);
  }

  async run(feeds: Readonly<Record<string, NamedTensor>>): Promise<Record<string, NamedTensor>> {
    if (this.released) throw new InvalidRequestError('graph', this.path, 'a graph not yet disposed');
    const names = Object.keys(feeds);
    const { missing, extra } = nameDifference(names, this.inputNames);
    if (missing.length > 0 || extra.length > 0) throw inputMismatch(this.path, 'graph feeds', names, this.inputNames);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(tensor.type, tensor.data, tensor.dims);
    const results = await this.session.run(ortFeeds);
    const out: Record<string, NamedTensor> = {};
    for (const [name, value] of Object.entries(results)) {
      const { type } = value;
      if (type !== 'float32' && type !== 'int64' && type !== 'int32') {
        throw new ModelFileError(`output ${name} type`, type, 'float32, int64 or int32', `${this.path}: output ${name} is ${type}, expected float32, int64 or int32`);
      }
      out[name] = { type, data: value.data as NamedTensor['data'], dims: [...value.dims] };
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
