import { describe, expect, it } from 'vitest';
import {
  CommitList, SchedulerDecisionError, defineParameters, defineScheduler, integerParameter,
  type DecodeScheduler, type SchedulerContext, type StepDecision, type StepInfo,
} from 'omnidecode';
import { P, decode, imageRequest, targetImageModel, withPlugins } from './support/plugin-fakes.ts';

const parameters = defineParameters({
  position: integerParameter({ default: 0, min: 0, description: 'The position it commits every step.' }),
  column: integerParameter({ default: 0, min: 0, description: 'The candidate column it commits (may lie outside the candidates).' }),
});

/** A buggy scheduler: commits `column` at `position` of row 0 every step, whether or not it is known. */
class Stubborn implements DecodeScheduler {
  readonly mode = 'block' as const;
  readonly guidance = null;
  private context!: SchedulerContext;
  private readonly commits = new CommitList(1);

  constructor(private readonly options: { position: number; column: number }) {}

  plannedSteps(): number { return 3; }

  begin(context: SchedulerContext): void { this.context = context; }

  step(_logits: unknown, _info: StepInfo): StepDecision {
    const commits = this.commits.clear();
    commits.push(0, this.options.position, this.context.candidates.offset + this.options.column);
    return { commits, preview: null, done: false };
  }
}

async function refusal(options: Record<string, unknown>, known?: number[]): Promise<SchedulerDecisionError> {
  const parts = await withPlugins();
  parts.schedulers.register(defineScheduler({ name: 'stubborn', description: 'Commits one position forever.', modalities: ['image'], parameters, scheduler: Stubborn }), '/plugins/stubborn');
  const error = await decode(parts, targetImageModel([0, 1, 2, 3, 4, 5, 6, 7, 8]), imageRequest({ scheduler: 'stubborn', options, ...(known ? { known } : {}) }))
    .then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SchedulerDecisionError);
  return error as SchedulerDecisionError;
}

describe('the engine refuses a scheduler decision it cannot apply, naming the scheduler', () => {
  it('a commit to a position it committed itself the step before', async () => {
    const error = await refusal({ position: 4, column: 3 });
    expect(error.scheduler).toBe('stubborn');
    expect(error.step).toBe(1);
    expect(error.message).toBe(
      `scheduler "stubborn" at step 1: commit position: got (0, 4), already known as token ${P.imageOffset + 3}, expected an unknown position: known tokens never change`);
  });

  it('a commit to a given (inpainting) position, at the first step', async () => {
    const known = [-1, -1, 9, -1, -1, -1, -1, -1, -1];
    const error = await refusal({ position: 2, column: 5 }, known);
    expect(error.step).toBe(0);
    expect(error.message).toBe(
      `scheduler "stubborn" at step 0: commit position: got (0, 2), already known as token ${P.imageOffset + 9}, expected an unknown position: known tokens never change`);
  });

  it('a token outside its candidates (one past the codebook)', async () => {
    const error = await refusal({ position: 0, column: P.codebook });
    expect(error.scheduler).toBe('stubborn');
    expect(error.message).toBe(
      `scheduler "stubborn" at step 0: commit token: got ${P.imageOffset + P.codebook} at (0, 0), expected a candidate id in [${P.imageOffset}, ${P.imageOffset + P.codebook})`);
  });

  it('a position outside the segment', async () => {
    const error = await refusal({ position: 9, column: 0 });
    expect(error.message).toBe('scheduler "stubborn" at step 0: commit (row, position): got (0, 9), expected a row in [0, 1) and a position in [0, 9)');
  });
});
