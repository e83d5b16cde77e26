import { InvalidRequestError, OmnidecodeError } from '../../core/errors.ts';
import type { KeyValueCache } from '../../core/transformer.ts';

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
