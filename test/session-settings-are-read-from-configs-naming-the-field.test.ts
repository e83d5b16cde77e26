import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mergeSessionSettings, parseSpinningFlag } from '../src/core/config/session-settings.ts';
import { parseConfig } from '../src/core/config/omnidecode-config.ts';
import { ConfigError, ModelFileError } from '../src/core/errors.ts';
import { checkPipelineOptions } from '../src/pipeline/pipeline-options.ts';
import { parseModelConfig } from '../src/tokenizers/model-config.ts';

/**
 * `executionProviders` (names or { name, ...options }) and `session: { intraOpThreads,
 * allowSpinning }` are read from a run config and from a model folder's config.json; a bad value
 * is refused naming the field it sits in, in the error class of the file it came from.
 */

const MODEL_CONFIG = 'models/default/config.json';
const modelConfig = (): Record<string, unknown> => JSON.parse(readFileSync(MODEL_CONFIG, 'utf8')) as Record<string, unknown>;

function thrown(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('session settings in configs', () => {
  it('a run config gives providers (with options) and session options; threads lands in intraOpThreads', () => {
    const config = parseConfig({ executionProviders: ['cuda', { name: 'cpu', useArena: false }], session: { allowSpinning: true }, threads: 2 }, '/');
    expect(config.session).toEqual({ executionProviders: ['cuda', { name: 'cpu', useArena: false }], allowSpinning: true, intraOpThreads: 2 });
    expect(parseConfig({ session: { intraOpThreads: 3 } }, '/').threads).toBe(3);
    expect(parseConfig({}, '/').session).toEqual({});
  });

  it('a run config names the bad field', () => {
    const cases: Array<[unknown, string]> = [
      [{ executionProviders: [] }, 'executionProviders'],
      [{ executionProviders: ['cpu', 'cpu'] }, 'executionProviders[1]'],
      [{ executionProviders: [{ deviceId: 0 }] }, 'executionProviders[0].name'],
      [{ executionProviders: [3] }, 'executionProviders[0]'],
      [{ session: { spin: true } }, 'session.spin'],
      [{ session: { intraOpThreads: 0 } }, 'session.intraOpThreads'],
      [{ session: { allowSpinning: 'yes' } }, 'session.allowSpinning'],
      [{ threads: 2, session: { intraOpThreads: 4 } }, 'session.intraOpThreads'],
    ];
    for (const [raw, field] of cases) {
      const error = thrown(() => parseConfig(raw, '/'));
      expect(error, JSON.stringify(raw)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).what, JSON.stringify(raw)).toBe(field);
    }
  });

  it("a model folder's config.json gives its defaults, refused as a model-file error naming file and field", () => {
    const config = modelConfig();
    // The embedded model carries its measured best (docs/model-format.md, "Session options, measured").
    expect(parseModelConfig(config, MODEL_CONFIG).session).toEqual({ intraOpThreads: 1, allowSpinning: false });
    const { session: _measured, ...withoutSession } = config;
    expect(parseModelConfig(withoutSession, MODEL_CONFIG).session).toEqual({});
    const tuned = parseModelConfig({ ...config, executionProviders: [{ name: 'cuda', deviceId: 1 }, 'cpu'], session: { intraOpThreads: 1, allowSpinning: false } }, MODEL_CONFIG);
    expect(tuned.session).toEqual({ executionProviders: [{ name: 'cuda', deviceId: 1 }, 'cpu'], intraOpThreads: 1, allowSpinning: false });
    const error = thrown(() => parseModelConfig({ ...config, session: { allowSpinning: 1 } }, MODEL_CONFIG));
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error.message).toContain(MODEL_CONFIG);
    expect((error as ModelFileError).what).toBe('session.allowSpinning');
  });

  it('the command line wins over the run config, which wins over the model folder', () => {
    const folder = { executionProviders: ['cuda'], intraOpThreads: 4, allowSpinning: true };
    const runConfig = { intraOpThreads: 2 };
    const flags = { allowSpinning: false };
    expect(mergeSessionSettings(folder, runConfig, flags)).toEqual({ executionProviders: ['cuda'], intraOpThreads: 2, allowSpinning: false });
  });

  it('--spinning reads on/off, and the pipeline options check their types', () => {
    expect(parseSpinningFlag('on', '--spinning')).toBe(true);
    expect(parseSpinningFlag('OFF', '--spinning')).toBe(false);
    expect((thrown(() => parseSpinningFlag('maybe', '--spinning')) as ConfigError).what).toBe('--spinning');
    expect((thrown(() => checkPipelineOptions({ allowSpinning: 'off' })) as ConfigError).what).toBe('allowSpinning');
    expect((thrown(() => checkPipelineOptions({ executionProviders: 'cpu' })) as ConfigError).what).toBe('executionProviders');
  });
});
