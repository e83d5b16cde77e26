type Growable = Float32Array | BigInt64Array | Int32Array | Uint16Array;

/** A typed buffer that grows to the largest size asked for and hands out exact-length views. */
export class GrowingBuffer<A extends Growable> {
  private buffer: A;
  constructor(private readonly create: (length: number) => A) {
    this.buffer = create(0);
  }
  view(length: number): A {
    if (this.buffer.length < length) this.buffer = this.create(length);
    return this.buffer.subarray(0, length) as A;
  }
}
