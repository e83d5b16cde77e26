import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { Sampler, samplerParameters, type SamplerOptions } from '../src/core/sampling/sampler.ts';

const defaults: SamplerOptions = samplerParameters.parse({}, 'sampler');

function rejection(raw: Record<string, unknown>): ConfigError {
  try {
    samplerParameters.parse(raw, 'sampler');
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('sampler options', () => {
  it('fills defaults: temperature 1, filters disabled, categorical draw', () => {
    expect(defaults).toEqual({
      temperature: 1, topK: null, topP: null, minP: null, repetitionPenalty: null, draw: 'categorical', processors: [],
    });
    expect(new Sampler(defaults).chain.length).toBe(0);
  });

  it('rejects topP 0 and 1.5 naming sampler.topP, the value and the range', () => {
    for (const bad of [0, 1.5]) {
      const error = rejection({ topP: bad });
      expect(error.what).toBe('sampler.topP');
      expect(error.got).toBe(bad);
      expect(error.message).toContain('sampler.topP');
      expect(error.message).toContain(String(bad));
      expect(error.message).toContain('> 0 and <= 1');
    }
    expect(samplerParameters.parse({ topP: 1 }, 'sampler').topP).toBe(1);
  });

  it('rejects temperature 0 and topK 0 with the field, value and range in the message', () => {
    const temperature = rejection({ temperature: 0 });
    expect(temperature.what).toBe('sampler.temperature');
    expect(temperature.message).toMatch(/sampler\.temperature.*0.*> 0/);

    const topK = rejection({ topK: 0 });
    expect(topK.what).toBe('sampler.topK');
    expect(topK.message).toMatch(/sampler\.topK.*0.*integer >= 1/);
    expect(rejection({ topK: 2.5 }).what).toBe('sampler.topK');
  });

  it('rejects minP outside [0, 1], a non-positive repetitionPenalty and an unknown draw', () => {
    expect(rejection({ minP: 1.2 }).what).toBe('sampler.minP');
    expect(rejection({ minP: -0.1 }).what).toBe('sampler.minP');
    expect(rejection({ repetitionPenalty: 0 }).what).toBe('sampler.repetitionPenalty');
    expect(rejection({ draw: 'beam' }).what).toBe('sampler.draw');
  });

  it('validates options given to the Sampler constructor directly', () => {
    expect(() => new Sampler({ ...defaults, topP: 0 })).toThrow(ConfigError);
    expect(() => new Sampler({ ...defaults, topP: 0 })).toThrow(/sampler\.topP/);
  });

  it('builds only the processors that do something, in penalty → temperature → top-k → top-p → min-p order', () => {
    const sampler = new Sampler({
      temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05, repetitionPenalty: 1.2, draw: 'greedy',
    });
    expect(sampler.chain.processors.map((p) => p.name))
      .toEqual(['repetition-penalty', 'temperature', 'top-k', 'top-p', 'min-p']);
    expect(sampler.tokenDraw.name).toBe('greedy');
    const noOps = new Sampler({ ...defaults, topP: 1, minP: 0, repetitionPenalty: 1 });
    expect(noOps.chain.length).toBe(0);
  });
});
