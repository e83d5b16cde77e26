import type { ForwardInput, ForwardOutput, KeyValueCache, Transformer, TransformerInfo } from '../../src/core/transformer.ts';

/** What a fake is asked for one output position. */
export interface LogitsQuery {
  /** 0-based forward index. */
  readonly call: number;
  readonly row: number;
  readonly batch: number;
  /** Index of the position within this forward. */
  readonly index: number;
  /** Absolute position id. */
  readonly position: number;
  /** This row's ids already in the past cache (positions 0 .. past length - 1). */
  readonly pastIds: readonly number[];
  /** This row's ids in this forward. */
  readonly inputIds: Int32Array;
}

/** Writes logits for one position into `out` (vocabSize entries, zero-filled). */
export type FillLogits = (query: LogitsQuery, out: Float32Array) => void;

/** One forward as the fake saw it (copies, so later engine writes do not change them). */
export interface ForwardRecord {
  readonly call: number;
  readonly batch: number;
  readonly length: number;
  readonly pastLength: number;
  readonly inputIds: Int32Array;
  readonly positionIds: Int32Array;
  readonly attentionMask: Uint8Array;
}

/** A cache that remembers the ids it holds per row and counts its disposals. */
export class FakeCache implements KeyValueCache {
  disposals = 0;
  constructor(readonly batch: number, readonly length: number, readonly rowIds: readonly (readonly number[])[]) {}
  get disposed(): boolean {
    return this.disposals > 0;
  }
  dispose(): void {
    this.disposals += 1;
  }
}

export interface FakeTransformerOptions {
  readonly vocabSize: number;
  readonly maxPositions?: number;
  readonly fill: FillLogits;
  /** Overwrite every logit of forward number `call` with `value` (NaN, Infinity...). */
  readonly corrupt?: { readonly call: number; readonly value: number };
  /** Called before each forward returns (e.g. to abort mid-run). */
  readonly onForward?: (record: ForwardRecord) => void;
}

/**
 * A deterministic Transformer whose logits come from a function of (position, ids seen). It checks
 * the engine's side of the contract (a disposed past is never reused, positions continue the past,
 * the mask has the documented size), records every forward and tracks every cache it hands out.
 */
export class FakeTransformer implements Transformer {
  readonly info: TransformerInfo;
  readonly forwards: ForwardRecord[] = [];
  readonly caches: FakeCache[] = [];
  /** The logits buffer each forward returned (schedulers modify them in place, e.g. CFG). */
  readonly outputs: Float32Array[] = [];
  private readonly options: FakeTransformerOptions;

  constructor(options: FakeTransformerOptions) {
    this.options = options;
    this.info = { vocabSize: options.vocabSize, maxPositions: options.maxPositions ?? 128, numLayers: 1, supportsOmniAttention: true };
  }

  /** Caches created and not yet disposed. */
  liveCaches(): FakeCache[] {
    return this.caches.filter((cache) => !cache.disposed);
  }

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    const { batch, length } = input;
    const past = input.past;
    if (past !== undefined && !(past instanceof FakeCache)) throw new Error('past is not a cache this model made');
    if (past?.disposed) throw new Error('forward given a disposed past');
    if (past !== undefined && past.batch !== batch) throw new Error(`past has ${past.batch} rows, input ${batch}`);
    const pastLength = past?.length ?? 0;
    if (input.inputIds.length !== batch * length) throw new Error(`inputIds has ${input.inputIds.length} entries, expected ${batch * length}`);
    if (input.positionIds.length !== batch * length) throw new Error('positionIds has the wrong size');
    if (input.attentionMask.length !== batch * length * (pastLength + length)) {
      throw new Error(`attentionMask has ${input.attentionMask.length} entries, expected ${batch * length * (pastLength + length)}`);
    }
    for (let row = 0; row < batch; row++) {
      for (let i = 0; i < length; i++) {
        const position = input.positionIds[row * length + i] as number;
        if (position !== pastLength + i) throw new Error(`row ${row} index ${i}: position ${position} does not continue a past of ${pastLength}`);
      }
    }
    const call = this.forwards.length;
    const record: ForwardRecord = {
      call, batch, length, pastLength,
      inputIds: input.inputIds.slice(), positionIds: input.positionIds.slice(), attentionMask: input.attentionMask.slice(),
    };
    this.forwards.push(record);
    const vocab = this.options.vocabSize;
    const logits = new Float32Array(batch * length * vocab);
    const rowIds: number[][] = [];
    for (let row = 0; row < batch; row++) {
      const pastIds = past?.rowIds[row] ?? [];
      const inputIds = input.inputIds.subarray(row * length, (row + 1) * length);
      rowIds.push([...pastIds, ...inputIds]);
      for (let index = 0; index < length; index++) {
        const at = (row * length + index) * vocab;
        this.options.fill({ call, row, batch, index, position: pastLength + index, pastIds, inputIds }, logits.subarray(at, at + vocab));
      }
    }
    if (this.options.corrupt?.call === call) logits.fill(this.options.corrupt.value);
    const present = new FakeCache(batch, pastLength + length, rowIds);
    this.caches.push(present);
    this.outputs.push(logits);
    this.options.onForward?.(record);
    return { logits, vocabSize: vocab, present };
  }

  async dispose(): Promise<void> {}
}

/** A logit margin large enough that any draw (categorical included) picks the favoured token. */
export const STRONG = 40;

/**
 * AR fake: the logits at position p favour `next(p + 1)`, the token wanted at position p + 1 (or
 * nothing in particular when it returns undefined).
 */
export function nextTokenModel(vocabSize: number, next: (position: number) => number | undefined, maxPositions?: number): FakeTransformer {
  return new FakeTransformer({
    vocabSize, ...(maxPositions !== undefined ? { maxPositions } : {}),
    fill: (query, out) => {
      const id = next(query.position + 1);
      if (id !== undefined) out[id] = STRONG;
    },
  });
}

/**
 * Emits `sequence` (absolute ids) from position `start` on, then EOS forever. The prediction
 * depends only on the position, so every row of a batch gets the same sequence.
 */
export function scriptedTextModel(vocabSize: number, start: number, sequence: readonly number[], eos: number): FakeTransformer {
  return nextTokenModel(vocabSize, (position) => (position < start ? undefined : sequence[position - start] ?? eos));
}

export interface KnownImageOptions {
  readonly vocabSize: number;
  /** Absolute position of image token 0. */
  readonly imageStart: number;
  readonly imageOffset: number;
  /** Target code per image position. */
  readonly target: readonly number[];
  /** Logit of the target (others 0); a function of the image position lets confidence vary. */
  readonly strength?: (imagePosition: number) => number;
  readonly maxPositions?: number;
  readonly onForward?: (record: ForwardRecord) => void;
}

/** MaskGIT fake: at every image position the logits strongly favour that position's target code. */
export function knownImageModel(options: KnownImageOptions): FakeTransformer {
  const strength = options.strength ?? (() => STRONG);
  return new FakeTransformer({
    vocabSize: options.vocabSize,
    ...(options.maxPositions !== undefined ? { maxPositions: options.maxPositions } : {}),
    ...(options.onForward ? { onForward: options.onForward } : {}),
    fill: (query, out) => {
      const imagePosition = query.position - options.imageStart;
      const code = options.target[imagePosition];
      if (code !== undefined) out[options.imageOffset + code] = strength(imagePosition);
    },
  });
}

export interface GuidanceModelOptions {
  readonly vocabSize: number;
  /** A row is conditional when this id occurs among its ids (past and current). */
  readonly marker: number;
  /** Logits written at `offset..` for conditional and for unconditional rows, at every position. */
  readonly offset: number;
  readonly cond: readonly number[];
  readonly uncond: readonly number[];
}

/** CFG fake: conditional and unconditional rows give different, known logits. */
export function guidanceModel(options: GuidanceModelOptions): FakeTransformer {
  return new FakeTransformer({
    vocabSize: options.vocabSize,
    fill: (query, out) => {
      const conditional = query.pastIds.includes(options.marker) || query.inputIds.includes(options.marker);
      out.set(conditional ? options.cond : options.uncond, options.offset);
    },
  });
}

/** Uniform logits everywhere: every draw is up to the seeded RNG. */
export function uniformModel(vocabSize: number, maxPositions?: number): FakeTransformer {
  return new FakeTransformer({ vocabSize, ...(maxPositions !== undefined ? { maxPositions } : {}), fill: () => {} });
}
