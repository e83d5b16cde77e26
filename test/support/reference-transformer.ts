import { SeededRandom } from '../../src/core/sampling/seeded-random.ts';
import type { ForwardInput, ForwardOutput, KeyValueCache, Transformer, TransformerInfo } from '../../src/core/transformer.ts';

export interface ReferenceConfig {
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly hiddenSize: number;
  readonly numHeads: number;
  readonly numLayers: number;
  readonly seed: number | string;
}

/** Keys and values per layer, [batch, heads, length, headDim] each, as the ONNX contract lays them out. */
export class ReferenceCache implements KeyValueCache {
  disposed = false;
  constructor(
    readonly batch: number,
    readonly length: number,
    readonly keys: readonly Float64Array[],
    readonly values: readonly Float64Array[],
  ) {}
  dispose(): void {
    this.disposed = true;
  }
}

interface Layer {
  readonly ln1Gain: Float64Array;
  readonly ln1Bias: Float64Array;
  readonly wq: Float64Array;
  readonly wk: Float64Array;
  readonly wv: Float64Array;
  readonly wo: Float64Array;
  readonly ln2Gain: Float64Array;
  readonly ln2Bias: Float64Array;
  readonly w1: Float64Array;
  readonly b1: Float64Array;
  readonly w2: Float64Array;
  readonly b2: Float64Array;
}

/**
 * A tiny real decoder (pre-LN attention with several heads + GELU MLP, learned positions, LM head)
 * with seeded random weights. It honours the full [batch, length, past + length] attention mask and
 * keeps a real KV cache: present = past keys/values concatenated with this forward's. Everything is
 * computed in float64, so cached and recomputed logits differ only by summation order.
 */
export class ReferenceTransformer implements Transformer {
  readonly info: TransformerInfo;
  readonly config: ReferenceConfig;
  forwardCount = 0;
  readonly caches: ReferenceCache[] = [];
  private readonly headDim: number;
  private readonly tokenEmbedding: Float64Array;
  private readonly positionEmbedding: Float64Array;
  private readonly layers: Layer[] = [];
  private readonly finalGain: Float64Array;
  private readonly finalBias: Float64Array;
  private readonly head: Float64Array;

  constructor(config: ReferenceConfig) {
    if (config.hiddenSize % config.numHeads !== 0) throw new Error('hiddenSize must be a multiple of numHeads');
    this.config = config;
    this.headDim = config.hiddenSize / config.numHeads;
    this.info = { vocabSize: config.vocabSize, maxPositions: config.maxPositions, numLayers: config.numLayers, supportsOmniAttention: true };
    const rng = new SeededRandom(config.seed);
    const d = config.hiddenSize;
    const m = 2 * d;
    const uniform = (count: number, scale: number): Float64Array => Float64Array.from({ length: count }, () => (rng.next() * 2 - 1) * scale);
    const around = (count: number, centre: number, spread: number): Float64Array => Float64Array.from({ length: count }, () => centre + (rng.next() * 2 - 1) * spread);
    this.tokenEmbedding = uniform(config.vocabSize * d, 1);
    this.positionEmbedding = uniform(config.maxPositions * d, 1);
    const projection = 1 / Math.sqrt(d);
    for (let l = 0; l < config.numLayers; l++) {
      this.layers.push({
        ln1Gain: around(d, 1, 0.2), ln1Bias: uniform(d, 0.1),
        wq: uniform(d * d, 2 * projection), wk: uniform(d * d, 2 * projection), wv: uniform(d * d, projection), wo: uniform(d * d, projection),
        ln2Gain: around(d, 1, 0.2), ln2Bias: uniform(d, 0.1),
        w1: uniform(d * m, projection), b1: uniform(m, 0.1), w2: uniform(m * d, 1 / Math.sqrt(m)), b2: uniform(d, 0.1),
      });
    }
    this.finalGain = around(d, 1, 0.2);
    this.finalBias = uniform(d, 0.1);
    this.head = uniform(d * config.vocabSize, 2 * projection);
  }

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    return this.forwardSync(input);
  }

  /** The same computation, synchronous (handy for tests that compare logits directly). */
  forwardSync(input: ForwardInput): ForwardOutput & { present: ReferenceCache } {
    const { batch, length } = input;
    const { hiddenSize: d, numHeads: heads, numLayers, vocabSize } = this.config;
    const hd = this.headDim;
    const past = input.past;
    if (past !== undefined && !(past instanceof ReferenceCache)) throw new Error('past is not a ReferenceCache');
    if (past?.disposed) throw new Error('forward given a disposed past');
    if (past !== undefined && past.batch !== batch) throw new Error(`past has ${past.batch} rows, input ${batch}`);
    const pastLength = past?.length ?? 0;
    const total = pastLength + length;
    if (input.attentionMask.length !== batch * length * total) throw new Error('attention mask has the wrong size');
    this.forwardCount += 1;

    // Hidden states [batch, length, d].
    const x = new Float64Array(batch * length * d);
    for (let row = 0; row < batch; row++) {
      for (let i = 0; i < length; i++) {
        const id = input.inputIds[row * length + i] as number;
        const position = input.positionIds[row * length + i] as number;
        if (id < 0 || id >= vocabSize) throw new Error(`token id ${id} outside the vocabulary`);
        if (position < 0 || position >= this.config.maxPositions) throw new Error(`position ${position} outside the embeddings`);
        const at = (row * length + i) * d;
        for (let k = 0; k < d; k++) x[at + k] = (this.tokenEmbedding[id * d + k] as number) + (this.positionEmbedding[position * d + k] as number);
      }
    }

    const presentKeys: Float64Array[] = [];
    const presentValues: Float64Array[] = [];
    const h = new Float64Array(d);
    const q = new Float64Array(batch * length * d);
    const scores = new Float64Array(total);
    const attended = new Float64Array(d);
    const hidden = new Float64Array(2 * d);
    for (let l = 0; l < numLayers; l++) {
      const layer = this.layers[l] as Layer;
      const keys = new Float64Array(batch * heads * total * hd);
      const values = new Float64Array(batch * heads * total * hd);
      // Copy the past into the front of present.
      if (past !== undefined) {
        const pastKeys = past.keys[l] as Float64Array;
        const pastValues = past.values[l] as Float64Array;
        for (let row = 0; row < batch; row++) {
          for (let head = 0; head < heads; head++) {
            const from = (row * heads + head) * pastLength * hd;
            const to = (row * heads + head) * total * hd;
            keys.set(pastKeys.subarray(from, from + pastLength * hd), to);
            values.set(pastValues.subarray(from, from + pastLength * hd), to);
          }
        }
      }
      // Projections of the current positions.
      for (let row = 0; row < batch; row++) {
        for (let i = 0; i < length; i++) {
          const at = (row * length + i) * d;
          layerNorm(x, at, d, layer.ln1Gain, layer.ln1Bias, h);
          for (let out = 0; out < d; out++) {
            let sq = 0;
            let sk = 0;
            let sv = 0;
            for (let k = 0; k < d; k++) {
              const value = h[k] as number;
              sq += value * (layer.wq[k * d + out] as number);
              sk += value * (layer.wk[k * d + out] as number);
              sv += value * (layer.wv[k * d + out] as number);
            }
            const head = Math.floor(out / hd);
            const slot = ((row * heads + head) * total + pastLength + i) * hd + (out % hd);
            q[at + out] = sq;
            keys[slot] = sk;
            values[slot] = sv;
          }
        }
      }
      // Attention, then the MLP, residual each.
      const scale = 1 / Math.sqrt(hd);
      for (let row = 0; row < batch; row++) {
        for (let i = 0; i < length; i++) {
          const at = (row * length + i) * d;
          const maskRow = (row * length + i) * total;
          for (let head = 0; head < heads; head++) {
            const base = (row * heads + head) * total * hd;
            let max = -Infinity;
            for (let key = 0; key < total; key++) {
              if (input.attentionMask[maskRow + key] !== 1) {
                scores[key] = -Infinity;
                continue;
              }
              let s = 0;
              for (let k = 0; k < hd; k++) s += (q[at + head * hd + k] as number) * (keys[base + key * hd + k] as number);
              scores[key] = s * scale;
              if (s * scale > max) max = s * scale;
            }
            if (max === -Infinity) throw new Error(`row ${row} index ${i} may attend nothing`);
            let sum = 0;
            for (let key = 0; key < total; key++) {
              const e = scores[key] === -Infinity ? 0 : Math.exp((scores[key] as number) - max);
              scores[key] = e;
              sum += e;
            }
            for (let k = 0; k < hd; k++) {
              let s = 0;
              for (let key = 0; key < total; key++) s += (scores[key] as number) * (values[base + key * hd + k] as number);
              attended[head * hd + k] = s / sum;
            }
          }
          for (let out = 0; out < d; out++) {
            let s = 0;
            for (let k = 0; k < d; k++) s += (attended[k] as number) * (layer.wo[k * d + out] as number);
            x[at + out] = (x[at + out] as number) + s;
          }
          layerNorm(x, at, d, layer.ln2Gain, layer.ln2Bias, h);
          for (let j = 0; j < 2 * d; j++) {
            let s = layer.b1[j] as number;
            for (let k = 0; k < d; k++) s += (h[k] as number) * (layer.w1[k * 2 * d + j] as number);
            hidden[j] = gelu(s);
          }
          for (let out = 0; out < d; out++) {
            let s = layer.b2[out] as number;
            for (let j = 0; j < 2 * d; j++) s += (hidden[j] as number) * (layer.w2[j * d + out] as number);
            x[at + out] = (x[at + out] as number) + s;
          }
        }
      }
      presentKeys.push(keys);
      presentValues.push(values);
    }

    const logits = new Float32Array(batch * length * vocabSize);
    for (let p = 0; p < batch * length; p++) {
      layerNorm(x, p * d, d, this.finalGain, this.finalBias, h);
      for (let v = 0; v < vocabSize; v++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += (h[k] as number) * (this.head[k * vocabSize + v] as number);
        logits[p * vocabSize + v] = s;
      }
    }
    const present = new ReferenceCache(batch, total, presentKeys, presentValues);
    this.caches.push(present);
    return { logits, vocabSize, present };
  }

  async dispose(): Promise<void> {}
}

function layerNorm(x: Float64Array, at: number, d: number, gain: Float64Array, bias: Float64Array, out: Float64Array): void {
  let mean = 0;
  for (let k = 0; k < d; k++) mean += x[at + k] as number;
  mean /= d;
  let variance = 0;
  for (let k = 0; k < d; k++) variance += ((x[at + k] as number) - mean) ** 2;
  variance /= d;
  const inv = 1 / Math.sqrt(variance + 1e-5);
  for (let k = 0; k < d; k++) out[k] = ((x[at + k] as number) - mean) * inv * (gain[k] as number) + (bias[k] as number);
}

function gelu(v: number): number {
  return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
}

/** Positions 0 .. length-1 for every row. */
export function positionsFrom(start: number, batch: number, length: number): Int32Array {
  const out = new Int32Array(batch * length);
  for (let row = 0; row < batch; row++) for (let i = 0; i < length; i++) out[row * length + i] = start + i;
  return out;
}

/**
 * Wraps a ReferenceTransformer so that every forward with a past is checked against a full
 * recompute of the whole sequence so far, under `fullMask(row, ids)` (the omni-attention mask of
 * the row's `ids`, [n, n]). Records the largest difference seen.
 */
export class RecomputeCheckingTransformer implements Transformer {
  readonly info: TransformerInfo;
  maxDifference = 0;
  checkedForwards = 0;
  private readonly held = new WeakMap<KeyValueCache, Int32Array[]>();

  constructor(
    private readonly inner: ReferenceTransformer,
    private readonly fullMask: (row: number, ids: Int32Array) => Uint8Array,
  ) {
    this.info = inner.info;
  }

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    const output = this.inner.forwardSync(input);
    const { batch, length } = input;
    const pastIds = input.past === undefined ? undefined : this.held.get(input.past);
    if (input.past !== undefined && pastIds === undefined) throw new Error('unknown past');
    const rows: Int32Array[] = [];
    for (let row = 0; row < batch; row++) {
      const prefix = pastIds?.[row] ?? new Int32Array(0);
      const ids = new Int32Array(prefix.length + length);
      ids.set(prefix);
      ids.set(input.inputIds.subarray(row * length, (row + 1) * length), prefix.length);
      rows.push(ids);
    }
    this.held.set(output.present, rows);
    if (input.past !== undefined) {
      const total = (rows[0] as Int32Array).length;
      const allIds = new Int32Array(batch * total);
      const mask = new Uint8Array(batch * total * total);
      rows.forEach((ids, row) => {
        allIds.set(ids, row * total);
        mask.set(this.fullMask(row, ids), row * total * total);
      });
      const full = this.inner.forwardSync({ inputIds: allIds, positionIds: positionsFrom(0, batch, total), attentionMask: mask, batch, length: total });
      full.present.dispose();
      const vocab = output.vocabSize;
      const start = total - length;
      for (let row = 0; row < batch; row++) {
        for (let i = 0; i < length; i++) {
          for (let v = 0; v < vocab; v++) {
            const cached = output.logits[(row * length + i) * vocab + v] as number;
            const recomputed = full.logits[(row * total + start + i) * vocab + v] as number;
            this.maxDifference = Math.max(this.maxDifference, Math.abs(cached - recomputed));
          }
        }
      }
      this.checkedForwards += 1;
    }
    return output;
  }

  async dispose(): Promise<void> {}
}
