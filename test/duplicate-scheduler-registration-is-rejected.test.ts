import { describe, expect, it } from 'vitest';
import { DuplicateRegistrationError } from '../src/core/errors.ts';
import { SCHEDULER_DEFINITION } from '../src/core/injection-tokens.ts';
import { createSchedulerContainer } from '../src/omnidecode-container.ts';
import { maskgitDefinition } from '../src/schedulers/maskgit-scheduler.ts';

describe('registering a scheduler name twice', () => {
  it('is rejected, naming who registered it first', () => {
    const { schedulers } = createSchedulerContainer();
    expect(() => schedulers.register({ ...maskgitDefinition }, 'plugins/copy.js')).toThrow(DuplicateRegistrationError);
    expect(() => schedulers.register({ ...maskgitDefinition }, 'plugins/copy.js')).toThrow('scheduler "maskgit" is already registered (by built-in)');
    expect(schedulers.names()).toEqual(['autoregressive', 'maskgit']);
  });

  it('a clash made straight in the container is caught when the registry lists it', () => {
    const { container, schedulers } = createSchedulerContainer();
    container.register(SCHEDULER_DEFINITION, { useValue: { ...maskgitDefinition, source: 'plugins/sneaky.js' } });
    expect(() => schedulers.names()).toThrow('scheduler "maskgit" is registered twice (built-in and plugins/sneaky.js)');
  });

  it('separate containers do not see each other\'s registrations', () => {
    const first = createSchedulerContainer();
    first.schedulers.register({ ...maskgitDefinition, name: 'maskgit-copy' }, 'test');
    const second = createSchedulerContainer();
    expect(first.schedulers.names()).toEqual(['autoregressive', 'maskgit', 'maskgit-copy']);
    expect(second.schedulers.names()).toEqual(['autoregressive', 'maskgit']);
  });
});
