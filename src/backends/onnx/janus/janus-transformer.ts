import { join } from 'node:path';
import { ForwardQueue } from '../forward-queue.ts';
import { checkForwardInput } from '../forward-input-check.ts';
import * as ort from 'onnxruntime-node';
import { ModelFileError } from '../../../core/errors.ts';
import type { SessionOptions } from '../../../core/transformer-backend.ts';
import type { ForwardInput, ForwardOutput, Transformer, TransformerInfo } from '../../../core/transformer.ts';
import { OnnxKeyValueCache } from '../onnx-kv-cache.ts';
import { inputMismatch, nameDifference } from '../onnx-name-check.ts';
import { createSession } from '../onnx-session.ts';
import { fixedDim, tensorMetadata } from '../onnx-signature.ts';
import { janusPaddingMask, janusPositions } from './janus-feeds.ts';
import { JanusIdSpace } from './janus-id-space.ts';

/** Janus's understanding input side (SigLIP at 384), when the graph leaves it symbolic. */
const DEFAULT_IMAGE_SIZE = 384;
/** Logit given to the engine's own columns (pad, mask): never drawn, finite under guidance. */
const NEVER = -1e30;
const SESSIONS = ['prepare_inputs_embeds', 'language_model', 'lm_head', 'gen_head', 'gen_img_embeds'] as const;
type SessionName = typeof SESSIONS[number];
const EXPECTED_INPUTS: Readonly<Record<SessionName, readonly string[]>> = {
  prepare_inputs_embeds: ['input_ids', 'pixel_values', 'images_seq_mask', 'images_emb_mask'],
  language_model: ['inputs_embeds', 'attention_mask', 'position_ids'],
  lm_head: [],
  gen_head: [],
  gen_img_embeds: ['image_ids'],
};

export interface JanusTransformerOptions extends SessionOptions {
  readonly ids: JanusIdSpace;
  readonly maxPositions: number;
}

/**
 * A Janus-layout folder (the six-graph ONNX files transformers.js's MultiModalityCausalLM runs) as
 * one engine Transformer: ids in, logits over the engine's id space out. Text ids are embedded
 * with prepare_inputs_embeds and image ids with gen_img_embeds, position by position; the language
 * model runs on the embeddings with a KV cache; lm_head gives the text columns, gen_head the image
 * columns, so the segment's modality (the engine's candidate columns) picks the head. Masks and
 * positions are fed as transformers.js feeds them (janus-feeds.ts). Forwards run one at a time.
 */
export class JanusTransformer implements Transformer {
  readonly info: TransformerInfo;
  private readonly queue = new ForwardQueue();
  private released = false;

  private constructor(
    private readonly folder: string,
    private readonly sessions: Readonly<Record<SessionName, ort.InferenceSession>>,
    private readonly ids: JanusIdSpace,
    private readonly numLayers: number,
    private readonly pastShape: readonly [number, number],
    private readonly understandingTokens: number,
    private readonly imageSize: number,
    /** The language model's hidden-state output, which is also each head's one input (transformers.js pairs them by name). */
    private readonly hiddenName: string,
    maxPositions: number,
  ) {
    this.info = { vocabSize: ids.vocabSize, maxPositions, numLayers, supportsOmniAttention: false };
  }

  /** Opens onnx/{prepare_inputs_embeds, language_model, lm_head, gen_head, gen_img_embeds}.onnx of `folder`. */
  static async load(folder: string, options: JanusTransformerOptions): Promise<JanusTransformer> {
    const opened: Partial<Record<SessionName, ort.InferenceSession>> = {};
    try {
      for (const name of SESSIONS) {
        const path = join(folder, 'onnx', `${name}.onnx`);
        const session = await createSession(path, options);
        opened[name] = session;
        const { missing } = nameDifference(session.inputNames, EXPECTED_INPUTS[name]);
        if (missing.length > 0) throw inputMismatch(path, `${name} inputs`, session.inputNames, EXPECTED_INPUTS[name]);
      }
      const sessions = opened as Record<SessionName, ort.InferenceSession>;
      const lm = sessions.language_model;
      const numLayers = lm.inputNames.filter((name) => /^past_key_values\.\d+\.key$/u.test(name)).length;
      const pastMeta = tensorMetadata(lm, 'past_key_values.0.key');
      const heads = fixedDim(pastMeta, 1);
      const headDim = fixedDim(pastMeta, 3);
      if (numLayers === 0 || heads === undefined || headDim === undefined) {
        throw new ModelFileError('language_model past', pastMeta?.name ?? 'none', 'past_key_values.{i}.key|value with fixed heads and head size',
          `${join(folder, 'onnx', 'language_model.onnx')}: needs past_key_values.{i}.key|value inputs [batch, heads, past, head_dim] with fixed heads and head_dim`);
      }
      const understanding = fixedDim(tensorMetadata(sessions.prepare_inputs_embeds, 'images_emb_mask'), 2) ?? 0;
      const imageSize = fixedDim(tensorMetadata(sessions.prepare_inputs_embeds, 'pixel_values'), 3) ?? DEFAULT_IMAGE_SIZE;
      const hiddenName = hiddenOutput(folder, sessions);
      return new JanusTransformer(folder, sessions, options.ids, numLayers, [heads, headDim], understanding, imageSize, hiddenName, options.maxPositions);
    } catch (error) {
      for (const session of Object.values(opened)) await session.release();
      throw error;
    }
  }

  forward(input: ForwardInput): Promise<ForwardOutput> {
    return this.queue.run(() => this.run(input));
  }

  private async run(input: ForwardInput): Promise<ForwardOutput> {
    const pastLength = checkForwardInput(input, this.released, this.folder);
    const { batch, length } = input;
    const embeds = await this.embed(input);
    const mask = janusPaddingMask(input, pastLength, this.ids.enginePad);
    const feeds: Record<string, ort.Tensor> = {
      inputs_embeds: embeds,
      attention_mask: new ort.Tensor('int64', mask, [batch, pastLength + length]),
      position_ids: new ort.Tensor('int64', janusPositions(mask, batch, length, pastLength), [batch, length]),
    };
    const pastLayers = input.past instanceof OnnxKeyValueCache ? input.past.layers : undefined;
    const empty = new ort.Tensor('float32', new Float32Array(0), [batch, this.pastShape[0], 0, this.pastShape[1]]);
    for (let i = 0; i < this.numLayers; i++) {
      feeds[`past_key_values.${i}.key`] = (pastLayers?.[i]?.[0] as ort.Tensor | undefined) ?? empty;
      feeds[`past_key_values.${i}.value`] = (pastLayers?.[i]?.[1] as ort.Tensor | undefined) ?? empty;
    }
    const lmInputs = this.sessions.language_model.inputNames;
    if (lmInputs.length !== Object.keys(feeds).length) throw inputMismatch(this.folder, 'language_model feeds', Object.keys(feeds), lmInputs);
    const results = await this.sessions.language_model.run(feeds);
    embeds.dispose();
    const layers: Array<readonly [ort.Tensor, ort.Tensor]> = [];
    for (let i = 0; i < this.numLayers; i++) {
      const key = results[`present.${i}.key`];
      const value = results[`present.${i}.value`];
      if (key === undefined || value === undefined) throw new ModelFileError('present', i, `present.${i}.key and present.${i}.value`, `${this.folder}: language_model lacks present.${i}`);
      layers.push([key, value]);
    }
    const hidden = results[this.hiddenName];
    if (hidden === undefined) throw new ModelFileError('language_model output', Object.keys(results), this.hiddenName, `${this.folder}: language_model gives no ${this.hiddenName}`);
    const kept = input.logitsFor === 'last' ? 1 : length;
    const heads = kept === length ? hidden : lastPositions(hidden, batch, length);
    const logits = await this.logits(heads, batch, kept);
    hidden.dispose();
    if (heads !== hidden) heads.dispose();
    return { logits, vocabSize: this.ids.vocabSize, present: new OnnxKeyValueCache(layers) };
  }

  /** inputs_embeds [B, L, D]: prepare_inputs_embeds for text ids, gen_img_embeds for image ids. */
  private async embed(input: ForwardInput): Promise<ort.Tensor> {
    const { batch, length, inputIds } = input;
    const dims = [batch, length];
    const anyImage = inputIds.some((id) => this.ids.isImage(id));
    const anyText = inputIds.some((id) => !this.ids.isImage(id));
    const text = anyText ? (await this.sessions.prepare_inputs_embeds.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(inputIds, (id) => BigInt(this.ids.textId(id))), dims),
      pixel_values: new ort.Tensor('float32', new Float32Array(0), [0, 0, 3, this.imageSize, this.imageSize]),
      images_seq_mask: new ort.Tensor('bool', new Uint8Array(batch * length), dims),
      images_emb_mask: new ort.Tensor('bool', new Uint8Array(0), [batch, 0, this.understandingTokens]),
    })).inputs_embeds : undefined;
    const image = anyImage ? (await this.sessions.gen_img_embeds.run({
      image_ids: new ort.Tensor('int64', BigInt64Array.from(inputIds, (id) => BigInt(this.ids.imageCode(id))), dims),
    })).inputs_embeds : undefined;
    if (text === undefined) return image as ort.Tensor;
    if (image === undefined) return text;
    const width = (text.dims[2] ?? 0);
    const out = text.data as Float32Array;
    const from = image.data as Float32Array;
    inputIds.forEach((id, position) => {
      if (this.ids.isImage(id)) out.set(from.subarray(position * width, (position + 1) * width), position * width);
    });
    image.dispose();
    return text;
  }

  /** Logits over the engine's ids: lm_head's text columns, gen_head's image columns, the rest never drawn. */
  private async logits(hidden: ort.Tensor, batch: number, kept: number): Promise<Float32Array> {
    const text = (await this.sessions.lm_head.run({ [this.hiddenName]: hidden })).logits;
    const image = (await this.sessions.gen_head.run({ [this.hiddenName]: hidden })).logits;
    if (text === undefined || image === undefined) throw new ModelFileError('head output', 'none', 'logits', `${this.folder}: lm_head or gen_head gives no logits`);
    const { textVocabSize: V, codebookSize: K } = this.ids.options;
    const vocab = this.ids.vocabSize;
    const out = new Float32Array(batch * kept * vocab).fill(NEVER);
    const textData = text.data as Float32Array;
    const imageData = image.data as Float32Array;
    for (let row = 0; row < batch * kept; row++) {
      out.set(textData.subarray(row * V, (row + 1) * V), row * vocab);
      out.set(imageData.subarray(row * K, (row + 1) * K), row * vocab + this.ids.imageOffset);
    }
    text.dispose();
    image.dispose();
    return out;
  }

  async dispose(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.queue.idle();
    for (const session of Object.values(this.sessions)) await session.release();
  }
}

/** hidden [B, L, D] -> its last position [B, 1, D]. */
function lastPositions(hidden: ort.Tensor, batch: number, length: number): ort.Tensor {
  const width = hidden.dims[2] ?? 0;
  const data = hidden.data as Float32Array;
  const out = new Float32Array(batch * width);
  for (let b = 0; b < batch; b++) out.set(data.subarray(((b + 1) * length - 1) * width, (b + 1) * length * width), b * width);
  return new ort.Tensor('float32', out, [batch, 1, width]);
}

/**
 * The hidden-state name: language_model's one output besides present.*, which lm_head and gen_head
 * must each take as their one input (transformers.js feeds the heads from the language model's
 * outputs by name, so the published files agree on it whatever it is).
 */
function hiddenOutput(folder: string, sessions: Readonly<Record<SessionName, ort.InferenceSession>>): string {
  const outputs = sessions.language_model.outputNames.filter((name) => !name.startsWith('present.'));
  const name = outputs[0];
  const path = (graph: string): string => join(folder, 'onnx', `${graph}.onnx`);
  if (outputs.length !== 1 || name === undefined) {
    throw new ModelFileError('language_model outputs', outputs, 'one hidden-state output besides present.*',
      `${path('language_model')}: expected one hidden-state output besides present.*, found ${outputs.join(', ') || 'none'}`);
  }
  for (const head of ['lm_head', 'gen_head'] as const) {
    const inputs = sessions[head].inputNames;
    if (inputs.length !== 1 || inputs[0] !== name) throw inputMismatch(path(head), `${head} inputs`, inputs, [name], ' (the language model\'s hidden-state output)');
    if (!sessions[head].outputNames.includes('logits')) {
      throw new ModelFileError(`${head} outputs`, sessions[head].outputNames, 'logits', `${path(head)}: no logits output`);
    }
  }
  return name;
}
