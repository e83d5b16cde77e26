import type { ForwardInput } from '../../../core/transformer.ts';

/**
 * The language model's 2D inputs as transformers.js makes them for a Janus folder, written into
 * the caller's buffers (the forward reuses them every step). The padding mask [B, P+L] marks real
 * keys: a key is real when the last query of its row may attend it and it is not an engine pad of
 * this forward (an unconditional row's all-pad prompt has no real key at all, as transformers.js's
 * zero attention_mask says). Positions follow the mask as transformers.js's cumsum_masked_fill does:
 * the count of real keys before a real token, 1 for a pad.
 */
export function janusPaddingMask(input: ForwardInput, pastLength: number, enginePad: number, out: BigInt64Array): BigInt64Array {
  const { batch, length, attentionMask, inputIds } = input;
  const total = pastLength + length;
  for (let b = 0; b < batch; b++) {
    const lastRow = (b * length + length - 1) * total;
    for (let k = 0; k < total; k++) {
      const current = k - pastLength;
      const pad = current >= 0 && inputIds[b * length + current] === enginePad;
      out[b * total + k] = attentionMask[lastRow + k] !== 0 && !pad ? 1n : 0n;
    }
  }
  return out;
}

/** position_ids [B, L] from the padding mask [B, P+L], into `out`. */
export function janusPositions(mask: BigInt64Array, batch: number, length: number, pastLength: number, out: BigInt64Array): BigInt64Array {
  const total = pastLength + length;
  for (let b = 0; b < batch; b++) {
    let sum = 0n;
    for (let k = 0; k < total; k++) {
      const real = mask[b * total + k] as bigint;
      if (k >= pastLength) out[b * length + k - pastLength] = real === 0n ? 1n : sum;
      sum += real;
    }
  }
  return out;
}
