import type { FieldReader } from './config-field-reader.ts';

/**
 * Text around what the user typed, per task, before tokenizing: the placeholder ({prompt},
 * {question}, {instruction}) is replaced by the user's text. Show-o's image -> text template is
 * `USER: \n{question} ASSISTANT:`; the embedded model uses the text as it is.
 */
export interface PromptTemplates {
  readonly textToImage: string;
  readonly describe: string;
  readonly edit: string;
}

export const TEMPLATE_PLACEHOLDERS: Readonly<Record<keyof PromptTemplates, string>> = {
  textToImage: '{prompt}', describe: '{question}', edit: '{instruction}',
};

/** config.json `prompts`, validated (lengths in tokens). */
export interface PromptsConfig {
  /** Text -> image: pads + <|t2i|> <|bos|> words <|eos|>, this many tokens. */
  readonly t2iPromptLength: number;
  /** Editing: pads + <|edit|> <|soi|> A <|eoi|> <|bos|> instruction <|eos|>, this many tokens; absent for a model without editing. */
  readonly editPromptLength?: number;
  readonly mmuQuestion: string;
  readonly templates: PromptTemplates;
  /** The classes `evaluate` prompts with and reads answers as ([] when the model has no evaluation). */
  readonly classNames: readonly string[];
  /** The instructions `evaluate` edits with ([] when none). */
  readonly editInstructions: readonly string[];
  /** Interleaved chat (docs/model-format.md, "Chat layout"); absent: the model does not chat. */
  readonly chat?: ChatPromptConfig;
}

/** config.json `prompts.chat`: the token a chat row starts with, and the images one answer may open by default. */
export interface ChatPromptConfig {
  readonly taskToken: string;
  readonly maxImages: number;
  /**
   * Positions of one user turn: `[pad…] <|bos|> words <|eos|>`, left-padded to this length so every
   * image an answer opens starts where it did in training (learned absolute positions). Absent: no padding.
   */
  readonly userTurnLength?: number;
  /**
   * Positions of a user turn that directly follows an image (the chat's given image, or an answer that
   * ended with one), when its words fit: so an edit turn's image lands where the model's edit rows put
   * theirs. Absent, or words that do not fit: `userTurnLength`.
   */
  readonly imageTurnLength?: number;
}

/** `codes`: image tokens per image, which an edit prompt holds. */
export function parsePrompts(value: unknown, codes: number, read: FieldReader): PromptsConfig {
  const p = read.object(value, 'prompts');
  return {
    // <|t2i|> <|bos|> <|eos|> at least (the empty, unconditional prompt).
    t2iPromptLength: read.integer(p.t2iPromptLength, 'prompts.t2iPromptLength', 3),
    // <|edit|> <|soi|> codes <|eoi|> <|bos|> <|eos|> at least.
    ...(p.editPromptLength === undefined ? {} : { editPromptLength: read.integer(p.editPromptLength, 'prompts.editPromptLength', codes + 5) }),
    mmuQuestion: read.string(p.mmuQuestion, 'prompts.mmuQuestion'),
    templates: parseTemplates(p.templates, read),
    classNames: p.classNames === undefined ? [] : read.strings(p.classNames, 'prompts.classNames'),
    editInstructions: p.editInstructions === undefined ? [] : read.strings(p.editInstructions, 'prompts.editInstructions'),
    ...(p.chat === undefined ? {} : { chat: parseChat(p.chat, read) }),
  };
}

function parseChat(value: unknown, read: FieldReader): ChatPromptConfig {
  const chat = read.object(value, 'prompts.chat');
  // <|bos|> <|eos|> and one word at least.
  const userTurnLength = chat.userTurnLength === undefined ? undefined : read.integer(chat.userTurnLength, 'prompts.chat.userTurnLength', 3);
  return {
    taskToken: read.string(chat.taskToken, 'prompts.chat.taskToken'), maxImages: read.integer(chat.maxImages, 'prompts.chat.maxImages', 1),
    ...(userTurnLength === undefined ? {} : { userTurnLength }),
    ...(chat.imageTurnLength === undefined ? {} : { imageTurnLength: imageTurnLength(chat.imageTurnLength, userTurnLength, read) }),
  };
}

/** At least <|bos|> <|eos|> and one word, and no longer than the turn it shortens. */
function imageTurnLength(value: unknown, userTurnLength: number | undefined, read: FieldReader): number {
  const length = read.integer(value, 'prompts.chat.imageTurnLength', 3);
  if (userTurnLength === undefined) read.fail('prompts.chat.imageTurnLength', length, 'only with prompts.chat.userTurnLength (it shortens that padding)');
  if (length > userTurnLength) read.fail('prompts.chat.imageTurnLength', length, `at most prompts.chat.userTurnLength (${userTurnLength})`);
  return length;
}

function parseTemplates(value: unknown, read: FieldReader): PromptTemplates {
  const given = value === undefined ? {} : read.object(value, 'prompts.templates');
  const names = Object.keys(TEMPLATE_PLACEHOLDERS) as Array<keyof PromptTemplates>;
  for (const key of Object.keys(given)) {
    if (!(names as string[]).includes(key)) read.fail(`prompts.templates.${key}`, given[key], `no such template; the tasks are ${names.join(', ')}`);
  }
  const template = (name: keyof PromptTemplates): string => {
    const placeholder = TEMPLATE_PLACEHOLDERS[name];
    const text = given[name];
    if (text === undefined) return placeholder;
    if (typeof text !== 'string' || text.split(placeholder).length !== 2) {
      read.fail(`prompts.templates.${name}`, text, `a string with ${placeholder} exactly once (where the user's text goes)`);
    }
    return text;
  };
  return { textToImage: template('textToImage'), describe: template('describe'), edit: template('edit') };
}
