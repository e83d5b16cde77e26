import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thrown } from './support/thrown.ts';
import { loadRunSettings } from '../src/cli/run-settings.ts';
import { parseSeed } from '../src/core/config/parse-seed.ts';
import { parseConfig } from '../src/core/config/omnidecode-config.ts';
import { readConfigFile } from '../src/node/config-file.ts';
import { ConfigError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { OmnidecodePipeline } from '../src/pipeline/omnidecode-pipeline.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, testVocabulary } from './support/show-o-layout.ts';

const EXPECTED = 'an integer in [0, 4294967296)';

const refusal = (run: () => unknown): ConfigError => thrown(ConfigError, run);

describe('bad seeds are refused naming the field, the value and the range', () => {
  it('parseSeed accepts integers and integer strings, and refuses everything else', () => {
    expect([5, '5', '5.0', '5e0', ' 7 ', 0, 4294967295].map((value) => parseSeed(value, 'seed'))).toEqual([5, 5, 5, 5, 7, 0, 4294967295]);
    for (const bad of ['abc', -1, 2 ** 32, 1.5, Number.NaN, '', '1.5', '-1', Infinity, null, true, {}]) {
      const error = refusal(() => parseSeed(bad, 'seed'));
      expect(error.what).toBe('seed');
      expect(error.got).toBe(bad);
      expect(error.message).toContain(EXPECTED);
    }
  });

  it('the command line names --seed', async () => {
    const error = await loadRunSettings({ plugin: [], set: [], seed: 'abc' }, 'image').then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`--seed: got "abc", expected ${EXPECTED}`);
  });

  it('a config file names seed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'omni-seed-'));
    const path = join(dir, 'run.yaml');
    writeFileSync(path, 'seed: 1.5\n');
    await expect(readConfigFile(path)).rejects.toThrow(`seed: got 1.5, expected ${EXPECTED}`);
    expect(refusal(() => parseConfig({ seed: 'abc' }, '/')).what).toBe('seed');
  });

  it('the engine refuses a non-integer number seed', async () => {
    const { engine } = createEngine({ model: uniformModel(T.vocabSize), vocabulary: testVocabulary() });
    await expect(engine.generate(t2iRequest({ options: { steps: 2 } }), { seed: 1.5 })).rejects.toThrow(`seed: got 1.5, expected ${EXPECTED}`);
    await expect(engine.generate(t2iRequest({ options: { steps: 2 } }), { seed: -1 })).rejects.toThrow(ConfigError);
    const text = { seed: 'abc' } as unknown as { seed: number };
    await expect(engine.generate(t2iRequest({ options: { steps: 2 } }), text)).rejects.toThrow(`seed: got "abc", expected ${EXPECTED}`);
  });

  describe('the pipeline', () => {
    let pipeline: OmnidecodePipeline;
    beforeAll(async () => { pipeline = await OmnidecodePipeline.load({ threads: 1 }); });
    afterAll(async () => { await pipeline.dispose(); });

    it('refuses a string seed from JavaScript before decoding', async () => {
      const options = { seed: 'abc' } as unknown as { seed: number };
      await expect(pipeline.textToImage(['a bag'], options)).rejects.toThrow(`seed: got "abc", expected ${EXPECTED}`);
      await expect(pipeline.textToImage(['a bag'], { seed: 2 ** 32 })).rejects.toThrow(ConfigError);
    });
  });
});
