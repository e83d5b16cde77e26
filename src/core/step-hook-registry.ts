import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { STEP_HOOK } from './injection-tokens.ts';
import type { StepHook } from './step-hook.ts';

/** The step hooks registered in a container under STEP_HOOK (none is fine). */
export class StepHookRegistry {
  constructor(private readonly container: DependencyContainer = rootContainer.createChildContainer()) {}

  register(hook: StepHook): void {
    this.container.register(STEP_HOOK, { useValue: hook });
  }

  list(): StepHook[] {
    return this.container.isRegistered(STEP_HOOK, true) ? this.container.resolveAll(STEP_HOOK) : [];
  }
}
