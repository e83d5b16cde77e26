import 'reflect-metadata';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunSettings, type CommonFlags } from '../src/cli/run-settings.ts';
import { parseConfig } from '../src/core/config/omnidecode-config.ts';
import { ConfigError, InputError } from '../src/core/errors.ts';

/** The ids, with the unknown token's id shown as -1. */
async function encodeWith(flags: Partial<CommonFlags>, text: string): Promise<number[]> {
  const settings = await loadRunSettings({ plugin: [], set: [], threads: '1', ...flags }, 'image');
  try {
    return settings.pipeline.encodeText(text).map((id) => (id === settings.pipeline.textTokenizer.unknownTokenId ? -1 : id));
  } finally {
    await settings.pipeline.dispose();
  }
}

describe('--unknown-words and unknownWords: in a config reach the pipeline tokenizer', () => {
  it('unk maps an unknown word to the unknown token; error (the default) refuses it', async () => {
    const unk = await encodeWith({ unknownWords: 'unk' }, 'a purple bag');
    expect(unk).toHaveLength(3);
    expect(unk[1]).toBe(-1);
    expect(unk.filter((id) => id === -1)).toHaveLength(1);
    await expect(encodeWith({ unknownWords: 'error' }, 'a purple bag')).rejects.toThrow(InputError);
    await expect(encodeWith({}, 'a purple bag')).rejects.toThrow(/--unknown-words unk/);
  });

  it('a config file sets it, and the flag overrides the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'omni-unk-')), 'run.yaml');
    writeFileSync(path, 'unknownWords: unk\n');
    expect((await encodeWith({ config: path }, 'a purple bag'))[1]).toBe(-1);
    await expect(encodeWith({ config: path, unknownWords: 'error' }, 'a purple bag')).rejects.toThrow(InputError);
  });

  it('a bad value is refused naming the flag or the field', async () => {
    await expect(encodeWith({ unknownWords: 'maybe' }, 'a bag')).rejects.toThrow(/^--unknown-words: got "maybe", expected 'unk'/);
    expect(() => parseConfig({ unknownWords: 'skip' }, '/')).toThrow(ConfigError);
    expect(() => parseConfig({ unknownWords: 'skip' }, '/')).toThrow(/^unknownWords: got "skip"/);
  });
});
