import { logSumExp } from 'omnidecode';

/** top1 − top2 of softmax over a logits slice (Dream's "margin" confidence); 1 when one token holds all mass. */
export function topTwoMargin(data: Float32Array, offset: number, count: number): number {
  const normaliser = logSumExp(data, offset, count);
  let first = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < count; i++) {
    const value = data[offset + i] as number;
    if (value > first) {
      second = first;
      first = value;
    } else if (value > second) {
      second = value;
    }
  }
  return Math.exp(first - normaliser) - Math.exp(second - normaliser);
}

/** Shannon entropy (nats) of softmax over a logits slice; blocked (-Infinity) tokens add nothing. */
export function softmaxEntropy(data: Float32Array, offset: number, count: number): number {
  const normaliser = logSumExp(data, offset, count);
  let entropy = 0;
  for (let i = 0; i < count; i++) {
    const logProbability = (data[offset + i] as number) - normaliser;
    if (logProbability === -Infinity) continue;
    entropy -= Math.exp(logProbability) * logProbability;
  }
  return entropy;
}
