import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { InvalidRequestError, ModelFileError } from '../../../core/errors.ts';
import type { SessionOptions } from '../../../core/transformer-backend.ts';
import { inputMismatch } from '../onnx-name-check.ts';
import { createSession } from '../onnx-session.ts';

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
  private constructor(private readonly path: string, private readonly session: ort.InferenceSession) {}

  static async load(folder: string, options: SessionOptions = {}): Promise<JanusImageDecoder> {
    const path = join(folder, 'onnx', 'image_decode.onnx');
    const session = await createSession(path, options);
    if (!session.inputNames.includes('generated_tokens') || !session.outputNames.includes('decoded_image')) {
      await session.release();
      throw inputMismatch(path, 'image_decode inputs', session.inputNames, ['generated_tokens'], ' (output decoded_image)');
    }
    return new JanusImageDecoder(path, session);
  }

  async decode(codes: ArrayLike<number>): Promise<Rgb8Image> {
    const ids = BigInt64Array.from(Array.from(codes), (code) => {
      if (!Number.isInteger(code) || code < 0) throw new InvalidRequestError('image code', code, 'an integer >= 0');
      return BigInt(code);
    });
    const { decoded_image: image } = await this.session.run({ generated_tokens: new ort.Tensor('int64', ids, [1, ids.length]) });
    if (image === undefined || image.dims.length !== 4 || image.dims[1] !== 3 || !(image.data instanceof Float32Array)) {
      image?.dispose();
      throw new ModelFileError('decoded_image', image?.dims ?? 'none', 'float32 [1, 3, H, W]', `${this.path}: decoded_image is not float32 [1, 3, H, W]`);
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

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
