import { endianness } from 'node:os';
import { ModelFileError, OmnidecodeError } from '../core/errors.ts';
import { EncodedModel, MessageWriter, PROTOBUF_LIMIT } from './protobuf-writer.ts';

export { EncodedModel } from './protobuf-writer.ts';

/**
 * Builds an ONNX ModelProto from TypeScript and serializes it without a protobuf library: the
 * handful of messages we need are written straight in the protobuf wire format (field numbers
 * from onnx/onnx.proto). Large weights are never copied into one buffer: each initializer's
 * raw_data is a chunk (possibly produced lazily at write time), so a Show-o-sized model streams
 * to disk while holding at most one weight tensor beyond what the caller keeps.
 */

export type ElementType = 'float32' | 'float16' | 'int64' | 'int32' | 'bool';
/** A dimension: a fixed size, or a symbolic name such as "batch_size". */
export type Dim = number | string;

const DATA_TYPE: Record<ElementType, number> = { float32: 1, int32: 6, int64: 7, bool: 9, float16: 10 };
/** ONNX TensorProto.DataType codes, for the Cast node's `to` attribute. */
export const ONNX_DATA_TYPE: Readonly<Record<ElementType, number>> = DATA_TYPE;

export type Attribute =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

export const intAttr = (value: number): Attribute => ({ kind: 'int', value });
export const floatAttr = (value: number): Attribute => ({ kind: 'float', value });
export const intsAttr = (value: readonly number[]): Attribute => ({ kind: 'ints', value });
export const floatsAttr = (value: readonly number[]): Attribute => ({ kind: 'floats', value });
export const stringAttr = (value: string): Attribute => ({ kind: 'string', value });

/** Initializer data: given now, or produced when the model is written (to bound peak memory). */
export type InitializerData =
  | { readonly type: 'float32'; readonly data: Float32Array | (() => Float32Array) }
  | { readonly type: 'int64'; readonly data: BigInt64Array | readonly number[] }
  | { readonly type: 'int32'; readonly data: Int32Array };

interface NodeSpec {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, Attribute>>;
  readonly name: string;
}

interface ValueSpec {
  readonly name: string;
  readonly type: ElementType;
  readonly dims: readonly Dim[];
}

interface InitializerSpec {
  readonly name: string;
  readonly dims: readonly number[];
  readonly source: InitializerData;
}

// ---- the builder ----------------------------------------------------------------------------

function byteView(array: Float32Array | BigInt64Array | Int32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, d) => product * d, 1);
}

export interface OnnxGraphBuilderOptions {
  /** Graph name stored in the model. */
  readonly name?: string;
  /** Default opset 17 (LayerNormalization exists from 17). */
  readonly opset?: number;
  readonly producer?: string;
}

export class OnnxGraphBuilder {
  readonly name: string;
  readonly opset: number;
  readonly producer: string;
  private readonly inputs: ValueSpec[] = [];
  private readonly outputs: ValueSpec[] = [];
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: InitializerSpec[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(options: OnnxGraphBuilderOptions = {}) {
    this.name = options.name ?? 'graph';
    this.opset = options.opset ?? 17;
    this.producer = options.producer ?? 'omnidecode-synthetic';
    // raw_data is little-endian by the ONNX spec; typed arrays use the host's order.
    if (endianness() !== 'LE') {
      throw new OmnidecodeError('host byte order', endianness(), 'little-endian (ONNX raw_data is little-endian)');
    }
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new OmnidecodeError('graph value name', name, 'a name not used yet in this graph');
    this.names.add(name);
    return name;
  }

  /** A fresh value name with the given prefix. */
  fresh(prefix: string): string {
    let name: string;
    do {
      name = `${prefix}_${this.counter++}`;
    } while (this.names.has(name));
    return name;
  }

  addInput(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.inputs.push({ name: this.claim(name), type, dims });
    return name;
  }

  /** Declares a graph output; some node must produce `name`. */
  addOutput(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.outputs.push({ name, type, dims });
    return name;
  }

  addInitializer(name: string, dims: readonly number[], source: InitializerData): string {
    const count = elementCount(dims);
    if (!(typeof source.data === 'function')) {
      const length = source.data.length;
      if (length !== count) {
        throw new OmnidecodeError(`initializer ${name}`, length, `${count} elements for dims [${dims.join(', ')}]`);
      }
    }
    this.initializers.push({ name: this.claim(name), dims, source });
    return name;
  }

  /** A float32 constant (scalar when dims is []); named automatically unless given a name. */
  floatConstant(values: readonly number[], dims: readonly number[] = [], name?: string): string {
    return this.addInitializer(name ?? this.fresh('const_f'), dims, { type: 'float32', data: Float32Array.from(values) });
  }

  /** An int64 constant (scalar when dims is []), e.g. shapes, axes, indices. */
  int64Constant(values: readonly number[], dims: readonly number[] = [values.length], name?: string): string {
    return this.addInitializer(name ?? this.fresh('const_i'), dims, { type: 'int64', data: values });
  }

  /** Adds a node with explicit output names. */
  addNode(opType: string, inputs: readonly string[], outputs: readonly string[],
    attributes: Readonly<Record<string, Attribute>> = {}): readonly string[] {
    for (const output of outputs) this.claim(output);
    this.nodes.push({ opType, inputs, outputs, attributes, name: `${opType}_${this.nodes.length}` });
    return outputs;
  }

  /** Adds a single-output node whose output gets a fresh name; returns that name. */
  op(opType: string, inputs: readonly string[], attributes: Readonly<Record<string, Attribute>> = {}, outputName?: string): string {
    const output = outputName ?? this.fresh(opType.toLowerCase());
    this.addNode(opType, inputs, [output], attributes);
    return output;
  }

  /** Serializes the ModelProto (IR version 8, default ONNX domain at the builder's opset). */
  encode(): EncodedModel {
    const graph = new MessageWriter();
    for (const node of this.nodes) graph.message(1, encodeNode(node));
    graph.string(2, this.name);
    for (const initializer of this.initializers) graph.message(5, encodeInitializer(initializer));
    for (const input of this.inputs) graph.message(11, encodeValueInfo(input));
    for (const output of this.outputs) graph.message(12, encodeValueInfo(output));

    const opset = new MessageWriter();
    opset.string(1, '');
    opset.int64(2, this.opset);

    const model = new MessageWriter();
    // IR version 8 is what opsets 17-18 were released with; every ORT since 1.14 reads it.
    model.int64(1, 8);
    model.string(2, this.producer);
    model.message(7, graph);
    model.message(8, opset);
    if (model.byteLength > PROTOBUF_LIMIT) {
      throw new ModelFileError('model size', model.byteLength,
        `under ${PROTOBUF_LIMIT} bytes (protobuf's 2 GiB message limit); use a smaller vocabulary, hidden size or layer count`);
    }
    return model.finish();
  }

  writeFile(path: string): void {
    this.encode().writeFile(path);
  }

  toBytes(): Uint8Array {
    return this.encode().toBytes();
  }
}

function encodeNode(node: NodeSpec): MessageWriter {
  const w = new MessageWriter();
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  // Sorted so the bytes do not depend on how the caller ordered the attribute object.
  for (const name of Object.keys(node.attributes).sort()) {
    const attribute = node.attributes[name];
    if (attribute !== undefined) w.message(5, encodeAttribute(name, attribute));
  }
  return w;
}

// AttributeProto.AttributeType codes.
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function encodeAttribute(name: string, attribute: Attribute): MessageWriter {
  const w = new MessageWriter();
  w.string(1, name);
  switch (attribute.kind) {
    case 'float': w.float(2, attribute.value); break;
    case 'int': w.int64(3, attribute.value); break;
    case 'string': w.string(4, attribute.value); break;
    // Repeated scalars unpacked: the proto2 default, which every parser accepts.
    case 'floats': for (const v of attribute.value) w.float(7, v); break;
    case 'ints': for (const v of attribute.value) w.int64(8, v); break;
  }
  w.int64(20, ATTRIBUTE_TYPE[attribute.kind]);
  return w;
}

function encodeInitializer(spec: InitializerSpec): MessageWriter {
  const w = new MessageWriter();
  for (const d of spec.dims) w.int64(1, d);
  w.int64(2, DATA_TYPE[spec.source.type]);
  w.string(8, spec.name);
  const count = elementCount(spec.dims);
  const source = spec.source;
  switch (source.type) {
    case 'float32': {
      const data = source.data;
      if (typeof data === 'function') {
        w.bytes(9, { byteLength: count * 4, produce: () => byteView(data()) });
      } else {
        w.bytes(9, byteView(data));
      }
      break;
    }
    case 'int64': {
      const data = source.data instanceof BigInt64Array
        ? source.data
        : BigInt64Array.from(source.data, (v) => BigInt(v));
      w.bytes(9, byteView(data));
      break;
    }
    case 'int32':
      w.bytes(9, byteView(source.data));
      break;
  }
  return w;
}

function encodeValueInfo(value: ValueSpec): MessageWriter {
  const shape = new MessageWriter();
  for (const d of value.dims) {
    const dim = new MessageWriter();
    if (typeof d === 'number') dim.int64(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new MessageWriter();
  tensorType.int64(1, DATA_TYPE[value.type]);
  tensorType.message(2, shape);
  const type = new MessageWriter();
  type.message(1, tensorType);
  const w = new MessageWriter();
  w.string(1, value.name);
  w.message(2, type);
  return w;
}
