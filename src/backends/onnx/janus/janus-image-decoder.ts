import * as ort from 'onnxruntime-node';
import { InvalidRequestError, ModelFileError } from '../../../core/errors.ts';
import type { SessionOptions } from '../../../core/transformer-backend.ts';
import { readJanusSessionTable } from './janus-session-table-config.ts';
import { janusGraph, type JanusSessionTable } from './janus-session-table.ts';
import { openJanusGraphs } from './janus-sessions.ts';

/** An 8-bit RGB image, row-major, 3 bytes a pixel (r, g, b). */
export interface Rgb8Image {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

/**
 * A Janus-layout folder's `image_decode` graph: generated codes (int64 [1, N]) -> decoded_image
 * float32 [1, 3, H, W] in [-1, 1] -> 8-bit RGB exactly as transformers.js's generate_images maps it
 * ((x + 1) * 255 / 2 in float32, clamped to [0, 255], truncated).
 */
export class JanusImageDecoder {
  private constructor(
    private readonly path: string,
    private readonly session: ort.InferenceSession,
    private readonly codesName: string,
    private readonly imageName: string,
  ) {}

  /** Opens the folder's image_decode graph as its session table (options.table, else config.json's) declares it. */
  static async load(folder: string, options: SessionOptions & { readonly table?: JanusSessionTable } = {}): Promise<JanusImageDecoder> {
    const table = options.table ?? await readJanusSessionTable(folder);
    const { sessions, paths } = await openJanusGraphs(folder, table, ['image_decode'], options);
    const { inputs, outputs } = janusGraph(table, 'image_decode');
    return new JanusImageDecoder(paths.image_decode as string, sessions.image_decode as ort.InferenceSession, inputs[0] as string, outputs[0] as string);
  }

  async decode(codes: ArrayLike<number>): Promise<Rgb8Image> {
    const ids = BigInt64Array.from(Array.from(codes), (code) => {
      if (!Number.isInteger(code) || code < 0) throw new InvalidRequestError('image code', code, 'an integer >= 0');
      return BigInt(code);
    });
    const image = (await this.session.run({ [this.codesName]: new ort.Tensor('int64', ids, [1, ids.length]) }))[this.imageName];
    if (image === undefined || image.dims.length !== 4 || image.dims[1] !== 3 || !(image.data instanceof Float32Array)) {
      image?.dispose();
      throw new ModelFileError('decoded_image', image?.dims ?? 'none', 'float32 [1, 3, H, W]', `${this.path}: ${this.imageName} is not float32 [1, 3, H, W]`);
    }
    const height = image.dims[2] ?? 0;
    const width = image.dims[3] ?? 0;
    const plane = width * height;
    const rgb = new Uint8Array(plane * 3);
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < plane; p++) {
        const value = Math.fround(Math.fround((image.data[c * plane + p] as number) + 1) * (255 / 2));
        rgb[p * 3 + c] = Math.min(255, Math.max(0, value));
      }
    }
    image.dispose();
    return { width, height, rgb };
  }

  /** The decoded image's size: the graph's fixed output dims, or one decode of zeros when it leaves them symbolic. */
  async outputSize(codesPerImage: number): Promise<{ readonly width: number; readonly height: number }> {
    const meta = this.session.outputMetadata.find((m) => m.name === this.imageName);
    const dims = meta !== undefined && meta.isTensor ? meta.shape : [];
    const [height, width] = [dims[2], dims[3]];
    if (typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0) return { width, height };
    const probe = await this.decode(new Array<number>(codesPerImage).fill(0));
    return { width: probe.width, height: probe.height };
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
