import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { readJsonObjectFile } from '../src/node/json-object-file.ts';
import { MAX_JANUS_CHAT_TEMPLATES, MAX_JANUS_TEMPLATE_CHARS } from '../src/pipeline/janus/janus-chat.ts';
import { JanusPrompts } from '../src/pipeline/janus/janus-prompts.ts';
import { writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';

/**
 * A Janus folder's JSON is read with bounds: tokenizer.json once (it was parsed twice: by the folder
 * opener and by the chat), every JSON file refused past its byte limit before it is parsed (an endless
 * one is never read to its end), and tokenizer_config.json's chat_template bounded in how many named
 * templates it lists and how long each is, naming the entry.
 */
const reads = vi.hoisted(() => [] as string[]);

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open = (...args: Parameters<typeof actual.open>): ReturnType<typeof actual.open> => {
    reads.push(String(args[0]));
    return actual.open(...args);
  };
  const readFile = (...args: Parameters<typeof actual.readFile>): ReturnType<typeof actual.readFile> => {
    reads.push(String(args[0]));
    return actual.readFile(...args);
  };
  return { ...actual, open, readFile, default: { ...actual, open, readFile } };
});

describe('a Janus folder\'s JSON is read once and bounded', () => {
  let root: string;
  let folder: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'omnidecode-janus-json-'));
    folder = join(root, 'janus');
    writeSyntheticJanusFolder(folder);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('tokenizer.json is read once to open the folder\'s prompts', async () => {
    reads.length = 0;
    await JanusPrompts.open({ model: folder });
    expect(reads.filter((path) => path.endsWith('tokenizer.json'))).toEqual([join(folder, 'tokenizer.json')]);
  });

  it('a JSON file past its byte limit is refused naming the file and the limit; an endless one is not read to its end', async () => {
    const path = join(folder, 'config.json');
    const size = readFileSync(path).length;
    const error = await readJsonObjectFile(path, size - 1).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect(error).toMatchObject({ what: path, got: `${size} bytes`, expected: `at most ${size - 1} bytes` });
    await expect(readJsonObjectFile(path, size)).resolves.toHaveProperty('model_type');
    await expect(readJsonObjectFile('/dev/zero', 4096)).rejects.toThrow('more than 4096 bytes');
  });

  const withTemplates = (name: string, chatTemplate: unknown): string => {
    const dir = join(root, name);
    writeSyntheticJanusFolder(dir);
    const configPath = join(dir, 'tokenizer_config.json');
    const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(configPath, JSON.stringify({ ...config, chat_template: chatTemplate }));
    return dir;
  };

  it('more named templates than the limit are refused naming chat_template', async () => {
    const many = Array.from({ length: MAX_JANUS_CHAT_TEMPLATES + 1 }, (_, i) => ({ name: `t${i}`, template: '{{ bos_token }}' }));
    const error = await JanusPrompts.open({ model: withTemplates('many', many) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).what).toMatch(/tokenizer_config\.json: chat_template$/u);
    expect((error as ModelFileError).got).toBe(`${MAX_JANUS_CHAT_TEMPLATES + 1} templates`);
  });

  it('a template longer than the limit is refused naming its entry', async () => {
    const long = [{ name: 'default', template: 'x'.repeat(MAX_JANUS_TEMPLATE_CHARS + 1) }];
    const error = await JanusPrompts.open({ model: withTemplates('long', long) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).what).toMatch(/chat_template\[0\]\.template$/u);
    const single = await JanusPrompts.open({ model: withTemplates('long-string', 'x'.repeat(MAX_JANUS_TEMPLATE_CHARS + 1)) }).catch((caught: unknown) => caught);
    expect(single).toBeInstanceOf(ModelFileError);
  });
});
