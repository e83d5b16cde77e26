/**
 * The omni-attention rule (Show-o): causal base; positions sharing a bidirectional block id see each
 * other fully; pad columns are blocked (a pad row sees only itself, so no row is empty).
 */
export interface AttentionLayout {
  readonly length: number;
  /** Block id per position, -1 for causal positions. */
  readonly blocks: Int32Array;
  /** 1 where the position is padding. */
  readonly pad: Uint8Array;
}

export function mayAttend(layout: AttentionLayout, query: number, key: number): boolean {
  // A pad row sees only itself (as the trainer's mask does), wherever the pad sits.
  if (layout.pad[key] === 1 || layout.pad[query] === 1) return query === key;
  if (key <= query) return true;
  const block = layout.blocks[query] as number;
  return block >= 0 && layout.blocks[key] === block;
}

/**
 * Writes the mask for queries [queryStart, queryEnd) over keys [0, queryEnd) into `out` at
 * `outOffset` ([queries, keys], row-major). Keys before queryStart are the cached past.
 */
export function writeAttentionMask(
  layout: AttentionLayout, queryStart: number, queryEnd: number, out: Uint8Array, outOffset: number,
): void {
  const keys = queryEnd;
  let index = outOffset;
  for (let query = queryStart; query < queryEnd; query++) {
    for (let key = 0; key < keys; key++) {
      out[index++] = mayAttend(layout, query, key) ? 1 : 0;
    }
  }
}

/** The whole [length, length] mask, for inspection and tests. */
export function buildAttentionMask(layout: AttentionLayout): Uint8Array {
  const out = new Uint8Array(layout.length * layout.length);
  writeAttentionMask(layout, 0, layout.length, out, 0);
  return out;
}
