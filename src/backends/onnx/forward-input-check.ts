import { InvalidRequestError } from '../../core/errors.ts';
import type { ForwardInput } from '../../core/transformer.ts';
import { OnnxKeyValueCache } from './onnx-kv-cache.ts';

/**
 * The checks every ONNX-backed transformer makes before a forward: not disposed, sizes that agree,
 * a past this backend made for the same batch. Returns the past's length.
 */
export function checkForwardInput(input: ForwardInput, released: boolean, label: string): number {
  const { batch, length, past } = input;
  if (released) throw new InvalidRequestError('transformer', label, 'a transformer not yet disposed');
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(length) || length < 1) {
    throw new InvalidRequestError('forward batch/length', { batch, length }, 'integers >= 1');
  }
  if (past !== undefined && !(past instanceof OnnxKeyValueCache)) {
    throw new InvalidRequestError('past', 'a foreign KV cache', 'a KV cache returned by this backend');
  }
  if (past !== undefined && past.batch !== batch) {
    throw new InvalidRequestError('past batch', past.batch, `${batch} (the forward's batch)`);
  }
  const pastLength = past?.length ?? 0;
  const tokens = batch * length;
  if (input.inputIds.length !== tokens) throw new InvalidRequestError('inputIds length', input.inputIds.length, `${tokens} (batch x length)`);
  if (input.positionIds.length !== tokens) throw new InvalidRequestError('positionIds length', input.positionIds.length, `${tokens} (batch x length)`);
  const maskLength = tokens * (pastLength + length);
  if (input.attentionMask.length !== maskLength) {
    throw new InvalidRequestError('attentionMask length', input.attentionMask.length, `${maskLength} (batch x length x (past ${pastLength} + length))`);
  }
  return pastLength;
}
