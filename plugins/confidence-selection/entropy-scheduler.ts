import { defineScheduler } from 'omnidecode';
import { ConfidenceRankedScheduler, rankedParameters, type RankedOptions } from './confidence-ranked-scheduler.ts';
import { softmaxEntropy } from './probability-summary.ts';

/** Commits first where the model's distribution is most peaked (Dream's entropy confidence). */
export class EntropyScheduler extends ConfidenceRankedScheduler {
  // Explicit, so the class keeps a one-parameter constructor for the container to inject into.
  constructor(options: RankedOptions) {
    super(options);
  }

  protected scoreDistribution(data: Float32Array, offset: number, count: number): number {
    return -softmaxEntropy(data, offset, count);
  }
}

export const entropyDefinition = defineScheduler({
  name: 'entropy',
  description: 'Masked diffusion ranked by low entropy: the surest positions are committed first (count schedule as maskgit).',
  modalities: ['image', 'text'],
  parameters: rankedParameters,
  scheduler: EntropyScheduler,
});
