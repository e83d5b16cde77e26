import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { parseModelConfig } from '../src/tokenizers/model-config.ts';
import { thrown } from './support/thrown.ts';

const shipped = JSON.parse(readFileSync(`${DEFAULT_MODEL_DIR}/config.json`, 'utf8')) as { prompts: Record<string, unknown> };
const { chat: _chat, ...promptsWithoutChat } = shipped.prompts;
const withChat = (chat: unknown): unknown => ({ ...shipped, prompts: { ...promptsWithoutChat, chat } });

describe('config.json prompts.chat', () => {
  it('is read when given, and absent (the model does not chat) when not', () => {
    expect(parseModelConfig(withChat({ taskToken: '<|lvg|>', maxImages: 3 }), 'config.json').prompts.chat).toEqual({ taskToken: '<|lvg|>', maxImages: 3 });
    expect(parseModelConfig({ ...shipped, prompts: promptsWithoutChat }, 'config.json').prompts.chat).toBeUndefined();
    const padded = { taskToken: '<|lvg|>', maxImages: 3, userTurnLength: 24, imageTurnLength: 6 };
    expect(parseModelConfig(withChat(padded), 'config.json').prompts.chat).toEqual(padded);
  });

  it.each([
    [{ taskToken: '<|chat|>', maxImages: 3 }, 'prompts.chat.taskToken', 'one of vocabulary.specialTokens'],
    [{ taskToken: '<|lvg|>', maxImages: 0 }, 'prompts.chat.maxImages', 'an integer >= 1'],
    [{ maxImages: 2 }, 'prompts.chat.taskToken', 'a non-empty string'],
    ['<|lvg|>', 'prompts.chat', 'an object'],
    [{ taskToken: '<|lvg|>', maxImages: 3, imageTurnLength: 6 }, 'prompts.chat.imageTurnLength', 'only with prompts.chat.userTurnLength'],
    [{ taskToken: '<|lvg|>', maxImages: 3, userTurnLength: 24, imageTurnLength: 25 }, 'prompts.chat.imageTurnLength', 'at most prompts.chat.userTurnLength (24)'],
    [{ taskToken: '<|lvg|>', maxImages: 3, userTurnLength: 24, imageTurnLength: 2 }, 'prompts.chat.imageTurnLength', 'an integer >= 3'],
  ])('%j is refused naming the field', (chat, field, expected) => {
    const error = thrown(ModelFileError, () => parseModelConfig(withChat(chat), '/models/x/config.json'));
    expect(error.what).toBe(field);
    expect(error.message).toContain(`/models/x/config.json: ${field}`);
    expect(error.message).toContain(expected);
  });
});
