import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { thrown } from './support/thrown.ts';
import { describe, expect, it } from 'vitest';
import { checkSchedulers, parseConfig } from '../src/core/config/omnidecode-config.ts';
import { readConfigFile } from '../src/node/config-file.ts';
import { ConfigError } from '../src/core/errors.ts';
import { createSchedulerContainer } from '../src/omnidecode-container.ts';

const { schedulers } = createSchedulerContainer();

const configError = (run: () => unknown): ConfigError => thrown(ConfigError, run);

describe('config validation', () => {
  it('accepts a YAML file choosing a scheduler per modality with parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-config-'));
    const path = join(dir, 'run.yaml');
    writeFileSync(path, 'seed: 7\nschedulers:\n  image:\n    name: maskgit\n    steps: 8\n    schedule: "cos(pi/2*t)"\n  text: autoregressive\nplugins: [./plugins/halton]\n');
    const config = await readConfigFile(path);
    expect(config.seed).toBe(7);
    expect(config.schedulers.image).toEqual({ name: 'maskgit', options: { steps: 8, schedule: 'cos(pi/2*t)' } });
    expect(config.schedulers.text).toEqual({ name: 'autoregressive', options: {} });
    expect(config.plugins).toEqual(['./plugins/halton']);
    expect(() => checkSchedulers(config, schedulers)).not.toThrow();
  });

  it('names an unknown scheduler and lists the registered ones', () => {
    const config = parseConfig({ schedulers: { image: { name: 'diffusion-xl' } } }, '/');
    const error = configError(() => checkSchedulers(config, schedulers));
    expect(error.what).toBe('schedulers.image.name');
    expect(error.got).toBe('diffusion-xl');
    expect(error.message).toContain('autoregressive');
    expect(error.message).toContain('maskgit');
  });

  it('names the field and value of a bad scheduler parameter', () => {
    const steps = configError(() => checkSchedulers(parseConfig({ schedulers: { image: { name: 'maskgit', steps: 0 } } }, '/'), schedulers));
    expect(steps.what).toBe('schedulers.image.steps');
    expect(steps.got).toBe(0);
    expect(steps.message).toMatch(/>= 1/);
    const guidance = configError(() => checkSchedulers(parseConfig({ schedulers: { image: { name: 'maskgit', guidance: -1 } } }, '/'), schedulers));
    expect(guidance.what).toBe('schedulers.image.guidance');
    const topP = configError(() => checkSchedulers(parseConfig({ schedulers: { text: { name: 'autoregressive', sampler: { topP: 1.5 } } } }, '/'), schedulers));
    expect(topP.what).toBe('schedulers.text.sampler.topP');
    const schedule = configError(() => checkSchedulers(parseConfig({ schedulers: { image: { name: 'maskgit', schedule: '2*t' } } }, '/'), schedulers));
    expect(schedule.what).toBe('schedulers.image.schedule');
    expect(schedule.message).toContain('outside [0, 1]');
  });

  it('rejects unknown fields, listing the valid ones', () => {
    const error = configError(() => parseConfig({ sede: 3 }, '/'));
    expect(error.what).toBe('sede');
    expect(error.message).toContain('seed');
    const unknownParameter = configError(() => checkSchedulers(parseConfig({ schedulers: { image: { name: 'maskgit', stepz: 3 } } }, '/'), schedulers));
    expect(unknownParameter.message).toContain('steps');
  });

  it('rejects a scheduler used for a modality it cannot decode', () => {
    // Both built-ins take text and image; an unknown modality key is the config error here.
    const error = configError(() => parseConfig({ schedulers: { audio: 'maskgit' } }, '/'));
    expect(error.what).toBe('schedulers.audio');
  });

  it('names the file when it cannot be parsed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-config-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "seed": ');
    await expect(readConfigFile(path)).rejects.toThrow(/broken\.json/);
    await expect(readConfigFile(join(dir, 'config.toml'))).rejects.toThrow(ConfigError);
  });
});
