import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { loadRunSettings } from '../src/cli/run-settings.ts';
import { parseConfig } from '../src/core/config/omnidecode-config.ts';
import { ConfigError } from '../src/core/errors.ts';

async function setRefusal(...set: string[]): Promise<ConfigError> {
  const error = await loadRunSettings({ plugin: [], set }, 'image').then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

function configRefusal(raw: unknown): ConfigError {
  try {
    parseConfig(raw, '/');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('__proto__, constructor and prototype are refused, never silently dropped', () => {
  it('as a --set key', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const error = await setRefusal(`${key}={"steps":1}`);
      expect(error.what).toBe('--set');
      expect(error.got).toBe(key);
      expect(error.message).toContain('not allowed');
    }
    expect(({} as Record<string, unknown>).steps).toBeUndefined();
  });

  it('as a key that is not a plain identifier', async () => {
    const error = await setRefusal('choice-temperature=4');
    expect(error.what).toBe('--set');
    expect(error.message).toContain('plain identifier');
  });

  it('inside a JSON value given to --set, at any depth', async () => {
    const nested = await setRefusal('sampler={"processors":[{"__proto__":{"polluted":true}}]}');
    expect(nested.what).toBe('--set sampler.processors[0].__proto__');
    const top = await setRefusal('sampler={"constructor":{"prototype":{"polluted":true}}}');
    expect(top.what).toBe('--set sampler.constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('anywhere in a config file, naming the path', () => {
    const raw = JSON.parse('{"schedulers":{"image":{"name":"maskgit","sampler":{"__proto__":{"draw":"greedy"}}}}}') as unknown;
    const error = configRefusal(raw);
    expect(error.what).toBe('schedulers.image.sampler.__proto__');
    expect(configRefusal(JSON.parse('{"__proto__":{"seed":3}}') as unknown).what).toBe('__proto__');
    expect(configRefusal({ task: { type: 'describe', image: 'a.png', constructor: 1 } }).what).toBe('task.constructor');
  });
});
