type Growable = Float32Array | BigInt64Array | Int32Array | Uint16Array | Uint8Array;

/** A typed buffer that grows (at least doubling) to hold the largest size asked for and hands out exact-length views. */
export class GrowingBuffer<A extends Growable> {
  private buffer: A;
  constructor(private readonly create: (length: number) => A) {
    this.buffer = create(0);
  }
  view(length: number): A {
    // At least doubling: a KV-cached mask grows by one position a step, and an exact fit would
    // allocate a new buffer every step.
    if (this.buffer.length < length) this.buffer = this.create(Math.max(length, 2 * this.buffer.length));
    return this.buffer.subarray(0, length) as A;
  }
}
