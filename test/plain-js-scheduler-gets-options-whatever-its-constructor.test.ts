import { describe, expect, it } from 'vitest';
import { createSchedulerContainer, defineParameters, defineScheduler, integerParameter, type DecodeScheduler, type SchedulerClass } from 'omnidecode';

const parameters = defineParameters({ perStep: integerParameter({ default: 3, min: 1, description: 'Positions per step.' }) });

/** What a plain-JS author writes; `Function.length` is 0 for the first two shapes. */
class WithDefault {
  readonly options: unknown;
  constructor(options: unknown = {}) { this.options = options; }
}
class WithRest {
  readonly options: unknown;
  constructor(...args: unknown[]) { this.options = args[0]; }
}
class WithPlainParameter {
  readonly options: unknown;
  constructor(options: unknown) { this.options = options; }
}

function optionsReceived(scheduler: new (...args: never[]) => object, name: string): unknown {
  const { schedulers } = createSchedulerContainer();
  schedulers.register(defineScheduler({
    name, description: name, modalities: ['image'], parameters, scheduler: scheduler as unknown as SchedulerClass,
  }));
  return (schedulers.create(name, { perStep: 5 }, name) as DecodeScheduler & { options: unknown }).options;
}

describe('a plain-JS scheduler gets its validated options whatever its constructor looks like', () => {
  it('constructor(options = {})', () => {
    expect(WithDefault.length).toBe(0);
    expect(optionsReceived(WithDefault, 'with-default')).toEqual({ perStep: 5 });
  });
  it('constructor(...args)', () => {
    expect(WithRest.length).toBe(0);
    expect(optionsReceived(WithRest, 'with-rest')).toEqual({ perStep: 5 });
  });
  it('constructor(options)', () => {
    expect(optionsReceived(WithPlainParameter, 'with-plain')).toEqual({ perStep: 5 });
  });
});
