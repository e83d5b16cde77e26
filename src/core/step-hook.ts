import type { StepEvent } from './step-event.ts';

/** Observers that run after every step (plugins register them with STEP_HOOK). */
export interface StepHook {
  readonly name: string;
  onStep(event: StepEvent): void;
}
