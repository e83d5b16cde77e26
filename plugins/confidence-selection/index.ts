import type { PluginApi } from 'omnidecode';
import { entropyDefinition } from './entropy-scheduler.ts';
import { marginDefinition } from './margin-scheduler.ts';

export { ConfidenceRankedScheduler, rankedParameters } from './confidence-ranked-scheduler.ts';
export type { RankedOptions } from './confidence-ranked-scheduler.ts';
export { EntropyScheduler, entropyDefinition } from './entropy-scheduler.ts';
export { MarginScheduler, marginDefinition } from './margin-scheduler.ts';
export { softmaxEntropy, topTwoMargin } from './probability-summary.ts';

/** Two schedulers that differ only in how they rank masked positions. */
export function register(api: PluginApi): void {
  api.registerScheduler(marginDefinition);
  api.registerScheduler(entropyDefinition);
}
