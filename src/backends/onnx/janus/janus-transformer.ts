import { ForwardQueue } from '../forward-queue.ts';
import { checkForwardInput } from '../forward-input-check.ts';
import { GrowingBuffer } from '../growing-buffer.ts';
import * as ort from 'onnxruntime-node';
import { ModelFileError } from '../../../core/errors.ts';
import type { SessionOptions } from '../../../core/transformer-backend.ts';
import type { ForwardInput, ForwardOutput, Transformer, TransformerInfo } from '../../../core/transformer.ts';
import { OnnxKeyValueCache } from '../onnx-kv-cache.ts';
import { inputMismatch } from '../onnx-name-check.ts';
import { fixedDim, tensorMetadata } from '../onnx-signature.ts';
import { JANUS_IMAGE_INPUT, JanusEmbedder } from './janus-embedder.ts';
import { janusPaddingMask, janusPositions } from './janus-feeds.ts';
import { hiddenStateName, isPastInput } from './janus-graph-check.ts';
import { JanusIdSpace } from './janus-id-space.ts';
import { readJanusSessionTable } from './janus-session-table-config.ts';
import { janusGraph, type JanusSessionTable } from './janus-session-table.ts';
import { openJanusGraphs } from './janus-sessions.ts';

/** Janus's understanding input side (SigLIP at 384), when neither the graph nor the caller says. */
const DEFAULT_IMAGE_SIZE = 384;
/** Logit given to the engine's own columns (pad, mask): never drawn, finite under guidance. */
const NEVER = -1e30;
/** The data of every zero-length past tensor. */
const NO_PAST = new Float32Array(0);

export interface JanusTransformerOptions extends SessionOptions {
  readonly ids: JanusIdSpace;
  readonly maxPositions: number;
  /** The graphs and their I/O names; default: the folder's config.json table (janus-session-table-config.ts). */
  readonly table?: JanusSessionTable;
  /** Understanding input side; default: pixel_values' fixed size in the graph, else 384. */
  readonly imageSize?: number;
  /** Embeddings one understanding image gives (processor_config.json's num_image_tokens); checked against each image span. */
  readonly understandingTokens?: number;
}

/** The language model and heads, with the names the forward feeds and reads. */
interface JanusRun {
  readonly lm: ort.InferenceSession;
  readonly textHead: ort.InferenceSession;
  readonly imageHead: ort.InferenceSession;
  readonly lmInputs: readonly [string, string, string];
  readonly hidden: string;
  readonly textLogits: string;
  readonly imageLogits: string;
}

/**
 * A Janus-layout folder (the six-graph ONNX files transformers.js's MultiModalityCausalLM runs, as
 * its session table declares them) as one engine Transformer: ids in, logits over the engine's id
 * space out. Text ids (and understanding images, given as encoded spans) are embedded with
 * prepare_inputs_embeds and image ids with gen_img_embeds, position by position (janus-embedder.ts);
 * the language model runs on the embeddings with a KV cache; the text head gives the text columns,
 * the image head the image columns, so the segment's modality (the engine's candidate columns)
 * picks the head. Masks and positions are fed as transformers.js feeds them (janus-feeds.ts).
 * Forwards run one at a time.
 */
export class JanusTransformer implements Transformer {
  readonly info: TransformerInfo;
  private readonly queue = new ForwardQueue();
  private released = false;
  // Feeds rewritten in place every forward (forwards run one at a time and ORT only reads them during
  // the run): the AR loop feeds one position a step, so they reach their size at the prefill and stay.
  private readonly maskBuffer = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly positionBuffer = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly lastBuffer = new GrowingBuffer((n) => new Float32Array(n));
  private empty: ort.Tensor | undefined;

  private constructor(
    private readonly folder: string,
    private readonly sessions: readonly ort.InferenceSession[],
    private readonly graphs: JanusRun,
    private readonly embedder: JanusEmbedder,
    private readonly ids: JanusIdSpace,
    private readonly numLayers: number,
    private readonly pastShape: readonly [number, number],
    maxPositions: number,
  ) {
    this.info = { vocabSize: ids.vocabSize, maxPositions, numLayers, supportsOmniAttention: false, encoderInputs: [JANUS_IMAGE_INPUT] };
  }

  /** Opens the graphs the folder's session table declares (embedders, language model, both heads), checking each against it. */
  static async load(folder: string, options: JanusTransformerOptions): Promise<JanusTransformer> {
    const table = options.table ?? await readJanusSessionTable(folder);
    const { text, image } = table.heads;
    const { sessions, paths } = await openJanusGraphs(folder, table, ['prepare_inputs_embeds', 'language_model', 'gen_img_embeds', text, image], options);
    try {
      const lm = sessions.language_model as ort.InferenceSession;
      const numLayers = lm.inputNames.filter((name) => isPastInput(name) && name.endsWith('.key')).length;
      const pastMeta = tensorMetadata(lm, 'past_key_values.0.key');
      const heads = fixedDim(pastMeta, 1);
      const headDim = fixedDim(pastMeta, 3);
      if (numLayers === 0 || heads === undefined || headDim === undefined) {
        throw new ModelFileError('language_model past', pastMeta?.name ?? 'none', 'past_key_values.{i}.key|value with fixed heads and head size',
          `${paths.language_model}: needs past_key_values.{i}.key|value inputs [batch, heads, past, head_dim] with fixed heads and head_dim`);
      }
      const prepareNames = janusGraph(table, 'prepare_inputs_embeds');
      const prepare = sessions.prepare_inputs_embeds as ort.InferenceSession;
      const imageSize = options.imageSize ?? fixedDim(tensorMetadata(prepare, prepareNames.inputs[1] as string), 3) ?? DEFAULT_IMAGE_SIZE;
      const understanding = options.understandingTokens ?? fixedDim(tensorMetadata(prepare, prepareNames.inputs[3] as string), 2);
      const headGraphs = [text, image].map((graph) => ({ graph, path: paths[graph] as string, session: sessions[graph] as ort.InferenceSession }));
      const hidden = hiddenStateName(paths.language_model as string, lm, janusGraph(table, 'language_model').outputs[0], headGraphs);
      const embedder = new JanusEmbedder({
        prepare, prepareNames, genImg: sessions.gen_img_embeds as ort.InferenceSession, genImgNames: janusGraph(table, 'gen_img_embeds'),
      }, options.ids, imageSize, understanding);
      const run: JanusRun = {
        lm, textHead: sessions[text] as ort.InferenceSession, imageHead: sessions[image] as ort.InferenceSession,
        lmInputs: janusGraph(table, 'language_model').inputs as unknown as readonly [string, string, string], hidden,
        textLogits: janusGraph(table, text).outputs[0] as string, imageLogits: janusGraph(table, image).outputs[0] as string,
      };
      return new JanusTransformer(folder, Object.values(sessions), run, embedder, options.ids, numLayers, [heads, headDim], options.maxPositions);
    } catch (error) {
      for (const session of Object.values(sessions)) await session.release();
      throw error;
    }
  }

  forward(input: ForwardInput): Promise<ForwardOutput> {
    return this.queue.run(() => this.run(input));
  }

  private async run(input: ForwardInput): Promise<ForwardOutput> {
    const pastLength = checkForwardInput(input, this.released, this.folder);
    const { batch, length } = input;
    const { lm, lmInputs: [embedsName, maskName, positionsName] } = this.graphs;
    const total = pastLength + length;
    const mask = janusPaddingMask(input, pastLength, this.ids.enginePad, this.maskBuffer.view(batch * total));
    const positions = janusPositions(mask, batch, length, pastLength, this.positionBuffer.view(batch * length));
    const feeds: Record<string, ort.Tensor> = {
      [maskName]: new ort.Tensor('int64', mask, [batch, total]),
      [positionsName]: new ort.Tensor('int64', positions, [batch, length]),
    };
    const pastLayers = input.past instanceof OnnxKeyValueCache ? input.past.layers : undefined;
    for (let i = 0; i < this.numLayers; i++) {
      const layer = pastLayers?.[i] as readonly [ort.Tensor, ort.Tensor] | undefined;
      feeds[`past_key_values.${i}.key`] = layer?.[0] ?? this.emptyPast(batch);
      feeds[`past_key_values.${i}.value`] = layer?.[1] ?? this.emptyPast(batch);
    }
    // Checked before embedding, so a mismatch leaves no embeddings behind.
    if (lm.inputNames.length !== Object.keys(feeds).length + 1) {
      throw inputMismatch(this.folder, 'language_model feeds', [embedsName, ...Object.keys(feeds)], lm.inputNames);
    }
    const embeds = await this.embedder.embed(input);
    feeds[embedsName] = embeds;
    let results: ort.InferenceSession.OnnxValueMapType;
    try {
      results = await lm.run(feeds);
    } finally {
      embeds.dispose();
    }
    try {
      return await this.outputs(results, input);
    } catch (error) {
      // Nothing of a failed forward reaches the caller: present, hidden state and any other output go.
      for (const value of Object.values(results)) value.dispose();
      throw error;
    }
  }

  /** The forward's output from the language model's results; the hidden state is disposed, present kept. */
  private async outputs(results: ort.InferenceSession.OnnxValueMapType, input: ForwardInput): Promise<ForwardOutput> {
    const { batch, length } = input;
    const layers: Array<readonly [ort.Tensor, ort.Tensor]> = [];
    for (let i = 0; i < this.numLayers; i++) {
      const key = results[`present.${i}.key`];
      const value = results[`present.${i}.value`];
      if (key === undefined || value === undefined) throw new ModelFileError('present', i, `present.${i}.key and present.${i}.value`, `${this.folder}: language_model lacks present.${i}`);
      layers.push([key, value]);
    }
    const hiddenName = this.graphs.hidden;
    const hidden = results[hiddenName];
    if (hidden === undefined) throw new ModelFileError('language_model output', Object.keys(results), hiddenName, `${this.folder}: language_model gives no ${hiddenName}`);
    try {
      const kept = input.logitsFor === 'last' ? 1 : length;
      const heads = kept === length ? hidden : this.lastPositions(hidden, batch, length);
      const logits = await this.logits(heads, batch * kept);
      return { logits, vocabSize: this.ids.vocabSize, present: new OnnxKeyValueCache(layers) };
    } finally {
      hidden.dispose();
    }
  }

  /** hidden [B, L, D] -> its last position [B, 1, D], in a buffer reused every forward. */
  private lastPositions(hidden: ort.Tensor, batch: number, length: number): ort.Tensor {
    const width = hidden.dims[2] ?? 0;
    const data = hidden.data as Float32Array;
    const out = this.lastBuffer.view(batch * width);
    for (let b = 0; b < batch; b++) out.set(data.subarray(((b + 1) * length - 1) * width, (b + 1) * length * width), b * width);
    return new ort.Tensor('float32', out, [batch, 1, width]);
  }

  /** Zero-length past [B, heads, 0, head_dim] for a forward without a cache, made once per batch size. */
  private emptyPast(batch: number): ort.Tensor {
    if (this.empty?.dims[0] !== batch) this.empty = new ort.Tensor('float32', NO_PAST, [batch, this.pastShape[0], 0, this.pastShape[1]]);
    return this.empty;
  }

  /**
   * Logits over the engine's ids: lm_head's text columns, gen_head's image columns, the engine's own
   * columns (pad, mask) never drawn. The array is new each forward: the caller may still hold the
   * previous forward's logits (another request's, interleaved by the queue) while this one runs.
   */
  private async logits(hidden: ort.Tensor, rows: number): Promise<Float32Array> {
    const { textHead, imageHead, hidden: name, textLogits, imageLogits } = this.graphs;
    const textResults = await textHead.run({ [name]: hidden });
    let imageResults: ort.InferenceSession.OnnxValueMapType = {};
    try {
      imageResults = await imageHead.run({ [name]: hidden });
      const { textVocabSize: V, codebookSize: K } = this.ids.options;
      const textData = headData(textResults[textLogits], rows * V, `${this.folder}: ${textLogits}`);
      const imageData = headData(imageResults[imageLogits], rows * K, `${this.folder}: ${imageLogits}`);
      const vocab = this.ids.vocabSize;
      const imageFrom = this.ids.imageOffset;
      const out = new Float32Array(rows * vocab);
      for (let row = 0; row < rows; row++) {
        const at = row * vocab;
        out.set(textData.subarray(row * V, (row + 1) * V), at);
        out.fill(NEVER, at + V, at + imageFrom);
        out.set(imageData.subarray(row * K, (row + 1) * K), at + imageFrom);
        out.fill(NEVER, at + imageFrom + K, at + vocab);
      }
      return out;
    } finally {
      for (const value of Object.values(textResults)) value.dispose();
      for (const value of Object.values(imageResults)) value.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue.idle();
    for (const session of this.sessions) await session.release();
  }
}

/** A head's float32 logits, `size` of them; anything else is the file's fault. */
function headData(value: ort.Tensor | undefined, size: number, what: string): Float32Array {
  if (value === undefined || !(value.data instanceof Float32Array) || value.data.length !== size) {
    throw new ModelFileError('head output', value === undefined ? 'none' : `${value.type} [${value.dims.join(', ')}]`, `float32 logits, ${size} values`, `${what}: ${value === undefined ? 'missing' : `${value.type} [${value.dims.join(', ')}]`}, expected ${size} float32 logits`);
  }
  return value.data;
}
