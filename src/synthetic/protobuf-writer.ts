import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { OmnidecodeError } from '../core/errors.ts';

/**
 * The protobuf wire format, as much of it as an ONNX ModelProto needs, written without a protobuf
 * library: messages are lists of chunks so large weights are referenced (or produced lazily at write
 * time), never copied into one buffer.
 */

// Protobuf's hard limit: a serialized message (here the whole model) must stay under 2 GiB.
export const PROTOBUF_LIMIT = 2 ** 31 - 1;

// ---- protobuf wire format -------------------------------------------------------------------

/** Bytes produced at write time; its length must be known up front for the length prefixes. */
export interface LazyChunk {
  readonly byteLength: number;
  produce(): Uint8Array;
}
export type Chunk = Uint8Array | LazyChunk;

/** An encoded message as a list of chunks, so big payloads are referenced, not copied. */
export class MessageWriter {
  readonly chunks: Chunk[] = [];
  byteLength = 0;
  private pending: number[] = [];

  private flush(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }

  private byte(value: number): void {
    this.pending.push(value);
    this.byteLength += 1;
  }

  private varint(value: number): void {
    // Lengths, tags and non-negative ints stay below 2^53 here.
    let v = value;
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  int64(field: number, value: number | bigint): void {
    // Negative int64 values are ten-byte two's complement varints.
    let v = BigInt.asUintN(64, BigInt(value));
    this.tag(field, 0);
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    for (const b of bytes) this.byte(b);
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Chunk): void {
    this.tag(field, 2);
    this.varint(value.byteLength);
    this.flush();
    this.chunks.push(value);
    this.byteLength += value.byteLength;
  }

  message(field: number, child: MessageWriter): void {
    child.flush();
    this.tag(field, 2);
    this.varint(child.byteLength);
    this.flush();
    // A loop, not push(...chunks): a big model has more chunks than the argument limit.
    for (const chunk of child.chunks) this.chunks.push(chunk);
    this.byteLength += child.byteLength;
  }

  finish(): EncodedModel {
    this.flush();
    return new EncodedModel(this.chunks, this.byteLength);
  }
}

/** A serialized ModelProto, not yet materialized: write it to a file or join it into bytes. */
export class EncodedModel {
  constructor(private readonly chunks: readonly Chunk[], readonly byteLength: number) {}

  private *materialize(): Generator<Uint8Array> {
    for (const chunk of this.chunks) {
      if (chunk instanceof Uint8Array) {
        yield chunk;
        continue;
      }
      const bytes = chunk.produce();
      if (bytes.byteLength !== chunk.byteLength) {
        throw new OmnidecodeError('initializer data', bytes.byteLength, `${chunk.byteLength} bytes (from its dims)`);
      }
      yield bytes;
    }
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    let offset = 0;
    for (const bytes of this.materialize()) {
      out.set(bytes, offset);
      offset += bytes.byteLength;
    }
    return out;
  }

  /** Writes to a temporary name and renames, so a failed write never leaves a truncated model. */
  writeFile(path: string): void {
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.partial-${process.pid}`;
    const fd = openSync(temporary, 'w');
    try {
      for (const bytes of this.materialize()) {
        let written = 0;
        while (written < bytes.byteLength) {
          written += writeSync(fd, bytes, written, bytes.byteLength - written);
        }
      }
    } catch (error) {
      closeSync(fd);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(fd);
    renameSync(temporary, path);
  }
}

