import { defineScheduler } from 'omnidecode';
import { ConfidenceRankedScheduler, rankedParameters, type RankedOptions } from './confidence-ranked-scheduler.ts';
import { topTwoMargin } from './probability-summary.ts';

/** Commits first where the model's top choice beats its runner-up by the most (Dream's margin). */
export class MarginScheduler extends ConfidenceRankedScheduler {
  // Explicit, so the class keeps a one-parameter constructor for the container to inject into.
  constructor(options: RankedOptions) {
    super(options);
  }

  protected scoreDistribution(data: Float32Array, offset: number, count: number): number {
    return topTwoMargin(data, offset, count);
  }
}

export const marginDefinition = defineScheduler({
  name: 'margin',
  description: 'Masked diffusion ranked by top1 − top2 probability: the clearest positions are committed first (count schedule as maskgit).',
  modalities: ['image', 'text'],
  parameters: rankedParameters,
  scheduler: MarginScheduler,
});
