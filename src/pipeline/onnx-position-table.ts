import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Finds how many positions a transformer graph embeds: the row count of the table a Gather looks
 * `position_ids` up in. ONNX Runtime does not expose initializers, so the ModelProto is read here
 * in the protobuf wire format (field numbers from onnx/onnx.proto), straight from the file and
 * skipping every weight's bytes: a multi-GB graph costs a few small reads, not a full load.
 */

export interface PositionTable {
  /** The table's name in the graph (an initializer or a Constant node's output). */
  readonly name: string;
  readonly dims: readonly number[];
  /** Rows, i.e. the positions the graph can embed. */
  readonly rows: number;
}

interface GraphNode {
  opType: string;
  readonly inputs: string[];
  readonly outputs: string[];
}

interface GraphSummary {
  readonly nodes: GraphNode[];
  /** Dims of every initializer and every Constant node's tensor, by name. */
  readonly tensorDims: Map<string, number[]>;
}

// onnx.proto field numbers used below.
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP_TYPE = 4;
const NODE_ATTRIBUTE = 5;
const ATTRIBUTE_TENSOR = 5;
const TENSOR_DIMS = 1;
const TENSOR_NAME = 8;

/** Ops that pass a tensor through unchanged in shape (a cast weight table is still the table). */
const PASS_THROUGH = new Set(['Identity', 'Cast']);
/** How far back from a Gather's indices `position_ids` may be (through Cast, Add, Reshape...). */
const INDEX_SEARCH_DEPTH = 8;

/**
 * The position table of the graph at `path`, or undefined when the graph has none this can see
 * (rotary or sinusoidal positions, a table inside a subgraph): the caller then relies on a probe.
 */
export function readPositionTable(path: string, input = 'position_ids'): PositionTable | undefined {
  let file: FileBytes | undefined;
  try {
    file = new FileBytes(path);
    const graph = findGraph(file);
    return graph === undefined ? undefined : positionTable(readGraph(file, graph.start, graph.end), input);
  } catch {
    // ONNX Runtime already accepted the file; whatever this reader cannot follow is left to the probe.
    return undefined;
  } finally {
    file?.close();
  }
}

function positionTable(graph: GraphSummary, input: string): PositionTable | undefined {
  const producer = new Map<string, GraphNode>();
  for (const node of graph.nodes) for (const output of node.outputs) producer.set(output, node);
  const reachesInput = (name: string, depth: number): boolean => {
    if (name === input) return true;
    const node = producer.get(name);
    return depth > 0 && node !== undefined && node.inputs.some((source) => reachesInput(source, depth - 1));
  };
  const tableOf = (name: string): { name: string; dims: number[] } | undefined => {
    for (let hops = 0; hops < INDEX_SEARCH_DEPTH; hops++) {
      const dims = graph.tensorDims.get(name);
      if (dims !== undefined) return { name, dims };
      const node = producer.get(name);
      if (node === undefined || !PASS_THROUGH.has(node.opType) || node.inputs[0] === undefined) return undefined;
      name = node.inputs[0];
    }
    return undefined;
  };
  let best: PositionTable | undefined;
  for (const node of graph.nodes) {
    const [data, indices] = node.inputs;
    if (node.opType !== 'Gather' || data === undefined || indices === undefined || !reachesInput(indices, INDEX_SEARCH_DEPTH)) continue;
    const table = tableOf(data);
    const rows = table?.dims[0];
    if (table === undefined || table.dims.length !== 2 || rows === undefined) continue;
    // Several lookups (e.g. one per layer): the smallest table bounds the positions.
    if (best === undefined || rows < best.rows) best = { name: table.name, dims: table.dims, rows };
  }
  return best;
}

function findGraph(file: FileBytes): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;
  file.fields(0, file.size, (field, start, end) => {
    if (field === MODEL_GRAPH) found = { start, end };
  });
  return found;
}

function readGraph(file: FileBytes, start: number, end: number): GraphSummary {
  const summary: GraphSummary = { nodes: [], tensorDims: new Map() };
  file.fields(start, end, (field, from, to) => {
    if (field === GRAPH_INITIALIZER) {
      const tensor = readTensor(file, from, to);
      summary.tensorDims.set(tensor.name, tensor.dims);
    } else if (field === GRAPH_NODE) {
      const node: GraphNode = { opType: '', inputs: [], outputs: [] };
      let constant: number[] | undefined;
      file.fields(from, to, (nodeField, a, b) => {
        if (nodeField === NODE_INPUT) node.inputs.push(file.text(a, b));
        else if (nodeField === NODE_OUTPUT) node.outputs.push(file.text(a, b));
        else if (nodeField === NODE_OP_TYPE) node.opType = file.text(a, b);
        else if (nodeField === NODE_ATTRIBUTE) {
          file.fields(a, b, (attributeField, c, d) => {
            if (attributeField === ATTRIBUTE_TENSOR) constant = readTensor(file, c, d).dims;
          });
        }
      });
      summary.nodes.push(node);
      const output = node.outputs[0];
      if (node.opType === 'Constant' && constant !== undefined && output !== undefined) summary.tensorDims.set(output, constant);
    }
  });
  return summary;
}

function readTensor(file: FileBytes, start: number, end: number): { name: string; dims: number[] } {
  const tensor = { name: '', dims: [] as number[] };
  file.fields(start, end, (field, from, to, varint) => {
    if (field === TENSOR_NAME) tensor.name = file.text(from, to);
    else if (field === TENSOR_DIMS && varint !== undefined) tensor.dims.push(varint);
    else if (field === TENSOR_DIMS) tensor.dims.push(...file.varints(from, to)); // packed
  });
  return tensor;
}

/**
 * Positional reads through a small window, so skipping a weight's bytes costs nothing. Malformed
 * input throws a plain Error; the caller turns it into "table not found".
 */
class FileBytes {
  readonly size: number;
  private readonly fd: number;
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  close(): void { closeSync(this.fd); }

  private byte(position: number): number {
    if (position < this.windowStart || position >= this.windowStart + this.window.length) {
      if (position >= this.size) throw new Error(`read past the end of the file at ${position}`);
      this.window = Buffer.alloc(Math.min(1 << 16, this.size - position));
      readSync(this.fd, this.window, 0, this.window.length, position);
      this.windowStart = position;
    }
    return this.window[position - this.windowStart] as number;
  }

  /** A varint at `position`: its value (exact up to 2^53) and where the next field starts. */
  private varint(position: number): { value: number; next: number } {
    let value = 0;
    for (let shift = 0, at = position; shift < 70; shift += 7, at++) {
      const byte = this.byte(at);
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return { value, next: at + 1 };
    }
    throw new Error(`malformed varint at ${position}`);
  }

  varints(start: number, end: number): number[] {
    const values: number[] = [];
    for (let at = start; at < end;) {
      const { value, next } = this.varint(at);
      values.push(value);
      at = next;
    }
    return values;
  }

  text(start: number, end: number): string {
    const bytes = Buffer.alloc(end - start);
    readSync(this.fd, bytes, 0, bytes.length, start);
    return bytes.toString('utf8');
  }

  /**
   * Calls `visit` for each field of the message in [start, end): length-delimited fields with their
   * byte range, varint fields with their value. Fixed-size fields are skipped.
   */
  fields(start: number, end: number, visit: (field: number, from: number, to: number, varint?: number) => void): void {
    let at = start;
    while (at < end) {
      const tag = this.varint(at);
      const field = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      at = tag.next;
      if (wire === 0) {
        const { value, next } = this.varint(at);
        visit(field, at, next, value);
        at = next;
      } else if (wire === 2) {
        const { value: length, next } = this.varint(at);
        if (next + length > end) throw new Error(`field ${field} at ${at} runs past its message`);
        visit(field, next, next + length);
        at = next + length;
      } else if (wire === 1) {
        at += 8;
      } else if (wire === 5) {
        at += 4;
      } else {
        throw new Error(`unsupported wire type ${wire} at ${at}`);
      }
    }
  }
}
