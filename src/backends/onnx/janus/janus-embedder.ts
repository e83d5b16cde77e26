import * as ort from 'onnxruntime-node';
import { InvalidRequestError, ModelFileError } from '../../../core/errors.ts';
import type { EncodedSpan, ForwardInput } from '../../../core/transformer.ts';
import { GrowingBuffer } from '../growing-buffer.ts';
import type { JanusIdSpace } from './janus-id-space.ts';
import type { JanusGraphDeclaration } from './janus-session-table.ts';

/** The encoder-input kind a Janus folder takes: an image for understanding. */
export const JANUS_IMAGE_INPUT = 'image';

export interface JanusEmbedderGraphs {
  readonly prepare: ort.InferenceSession;
  readonly prepareNames: JanusGraphDeclaration;
  readonly genImg: ort.InferenceSession;
  readonly genImgNames: JanusGraphDeclaration;
}

/**
 * inputs_embeds [B, L, D] for one forward of a Janus folder: text ids (and understanding images)
 * through prepare_inputs_embeds, image ids through gen_img_embeds, merged position by position.
 * An understanding image arrives as an encoded span (the placeholder positions it fills) with its
 * normalised pixels [3, S, S]; it is fed as transformers.js's VLChatProcessor feeds one:
 * pixel_values [B, n, 3, S, S], images_seq_mask [B, L] true on its positions, images_emb_mask
 * [B, n, T] true for each real image.
 */
export class JanusEmbedder {
  // Ids, codes and the no-image mask are rewritten in place every forward (they grow to the largest
  // forward and stay): the AR loop runs one position a step, and ORT only reads them during a run.
  private readonly textIds = new GrowingBuffer((n) => new BigInt64Array(n));
  private readonly imageCodes = new GrowingBuffer((n) => new BigInt64Array(n));
  /** Never written: all false, the images_seq_mask of a forward without understanding images. */
  private readonly noImagePositions = new GrowingBuffer((n) => new Uint8Array(n));
  private readonly noPixels = new Float32Array(0);
  private readonly noImages = new Uint8Array(0);

  constructor(
    private readonly graphs: JanusEmbedderGraphs,
    private readonly ids: JanusIdSpace,
    /** Understanding input side (pixel_values' last axes). */
    readonly imageSize: number,
    /** Embeddings one understanding image gives, when known (the folder's processor config or the graph). */
    readonly understandingTokens: number | undefined,
  ) {}

  /** inputs_embeds [B, L, D]; the caller owns (and disposes) the tensor. */
  async embed(input: ForwardInput): Promise<ort.Tensor> {
    const { batch, length, inputIds } = input;
    const dims = [batch, length];
    const count = batch * length;
    const textIds = this.textIds.view(count);
    const codes = this.imageCodes.view(count);
    // One pass fills both graphs' ids and says which graphs the forward needs.
    let anyImage = false;
    let anyText = false;
    for (let i = 0; i < count; i++) {
      const id = inputIds[i] as number;
      const image = this.ids.isImage(id);
      anyImage ||= image;
      anyText ||= !image;
      textIds[i] = BigInt(this.ids.textId(id));
      codes[i] = BigInt(this.ids.imageCode(id));
    }
    const [idsName, pixelsName, seqMaskName, embMaskName] = this.graphs.prepareNames.inputs as [string, string, string, string];
    const text = anyText ? await this.output(this.graphs.prepare, this.graphs.prepareNames, {
      [idsName]: new ort.Tensor('int64', textIds, dims),
      ...this.imageFeeds(input, pixelsName, seqMaskName, embMaskName),
    }) : undefined;
    let image: ort.Tensor | undefined;
    try {
      image = anyImage ? await this.output(this.graphs.genImg, this.graphs.genImgNames, {
        [this.graphs.genImgNames.inputs[0] as string]: new ort.Tensor('int64', codes, dims),
      }) : undefined;
    } catch (error) {
      text?.dispose();
      throw error;
    }
    if (text === undefined) return image as ort.Tensor;
    if (image === undefined) return text;
    mergeImagePositions(text, image, inputIds, this.ids);
    image.dispose();
    return text;
  }

  /** The graph's first output; every other output, and that one when it is not float32, is disposed. */
  private async output(session: ort.InferenceSession, names: JanusGraphDeclaration, feeds: Record<string, ort.Tensor>): Promise<ort.Tensor> {
    const name = names.outputs[0] as string;
    const results = await session.run(feeds);
    const result = results[name];
    const valid = result !== undefined && result.data instanceof Float32Array;
    for (const [key, value] of Object.entries(results)) if (key !== name || !valid) value.dispose();
    if (!valid) {
      throw new ModelFileError(`${name}`, result?.type ?? 'none', 'float32 embeddings [B, L, D]', `an embedding graph gave no float32 ${name}`);
    }
    return result;
  }

  /** The image inputs of prepare_inputs_embeds: none (transformers.js's empty feed) or the forward's understanding images. */
  private imageFeeds(input: ForwardInput, pixels: string, seqMask: string, embMask: string): Record<string, ort.Tensor> {
    const { batch, length } = input;
    const S = this.imageSize;
    const spans = input.encoded ?? [];
    if (spans.length === 0) {
      return {
        [pixels]: new ort.Tensor('float32', this.noPixels, [0, 0, 3, S, S]),
        [seqMask]: new ort.Tensor('bool', this.noImagePositions.view(batch * length), [batch, length]),
        [embMask]: new ort.Tensor('bool', this.noImages, [batch, 0, this.understandingTokens ?? 0]),
      };
    }
    const tokens = this.checkSpans(spans);
    const perRow = Array.from({ length: batch }, (_, row) => spans.filter((span) => span.row === row).sort((a, b) => a.start - b.start));
    const n = Math.max(...perRow.map((row) => row.length));
    const plane = 3 * S * S;
    const pixelData = new Float32Array(batch * n * plane);
    const seq = new Uint8Array(batch * length);
    const emb = new Uint8Array(batch * n * tokens);
    perRow.forEach((row, b) => row.forEach((span, i) => {
      pixelData.set(span.input.data, (b * n + i) * plane);
      seq.fill(1, b * length + span.start, b * length + span.start + span.length);
      emb.fill(1, (b * n + i) * tokens, (b * n + i + 1) * tokens);
    }));
    return {
      [pixels]: new ort.Tensor('float32', pixelData, [batch, n, 3, S, S]),
      [seqMask]: new ort.Tensor('bool', seq, [batch, length]),
      [embMask]: new ort.Tensor('bool', emb, [batch, n, tokens]),
    };
  }

  /** Every span an image of [3, S, S] over the understanding token count; returns that count. */
  private checkSpans(spans: readonly EncodedSpan[]): number {
    const S = this.imageSize;
    const tokens = this.understandingTokens ?? (spans[0] as EncodedSpan).length;
    for (const span of spans) {
      const { kind, dims } = span.input;
      if (kind !== JANUS_IMAGE_INPUT || dims.length !== 3 || dims[0] !== 3 || dims[1] !== S || dims[2] !== S) {
        throw new InvalidRequestError('encoded input', `${kind} [${dims.join(', ')}]`, `${JANUS_IMAGE_INPUT} [3, ${S}, ${S}] (the folder's understanding input: RGB at ${S} px)`);
      }
      if (span.length !== tokens) {
        throw new InvalidRequestError('encoded segment length', span.length, `${tokens} positions (the embeddings one understanding image gives)`);
      }
    }
    return tokens;
  }
}

/** Copies gen_img_embeds' vectors over prepare_inputs_embeds' at the image ids' positions, in place. */
function mergeImagePositions(text: ort.Tensor, image: ort.Tensor, inputIds: Int32Array, ids: JanusIdSpace): void {
  const width = text.dims[2] ?? 0;
  const out = text.data as Float32Array;
  const from = image.data as Float32Array;
  for (let position = 0; position < inputIds.length; position++) {
    if (!ids.isImage(inputIds[position] as number)) continue;
    for (let i = position * width, end = i + width; i < end; i++) out[i] = from[i] as number;
  }
}
