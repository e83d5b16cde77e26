import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { InputError, ModelFileError } from '../../core/errors.ts';
import type { TokensSegment } from '../../core/request.ts';
import type { EncoderInput } from '../../core/transformer.ts';
import { readJsonObjectFile, MAX_TOKENIZER_JSON_BYTES } from '../../node/json-object-file.ts';
import { TextTokenizer, type UnknownWords } from '../../tokenizers/text-tokenizer.ts';
import { checkPrompt } from '../input-checks.ts';
import { JANUS_FALLBACK_TEMPLATES, JANUS_TEMPLATE_NAMES, JANUS_USER_ROLE } from './janus-chat-templates.ts';
import type { JanusModelFolder } from './janus-model-folder.ts';

/** A prompt laid out for the engine: given segments (an understanding image's placeholders encoded), and all their ids. */
export interface JanusPrompt {
  readonly segments: readonly TokensSegment[];
  readonly ids: readonly number[];
  /** The template's text, as rendered. */
  readonly text: string;
}

const SPECIAL_TOKEN_FIELDS = ['bos_token', 'eos_token', 'unk_token', 'sep_token', 'pad_token', 'cls_token', 'mask_token'] as const;

/**
 * Prompts for a Janus folder, built as transformers.js's VLChatProcessor builds them: the folder's
 * chat template (tokenizer_config.json; "default" for understanding and text, "text_to_image" for
 * generation; DeepSeek's SFT format when the folder has none) rendered with @huggingface/jinja for
 * one user message, split at the image tag, each piece encoded by the folder's tokenizer without
 * added specials, and each image tag replaced by <begin_of_image>, the placeholders, <end_of_image>.
 */
export class JanusChat {
  private constructor(
    private readonly folder: JanusModelFolder,
    private readonly tokenizer: Tokenizer,
    /** Vets what the user typed: unknown words and typed special tokens are refused, naming them. */
    private readonly vetting: TextTokenizer,
    private readonly templates: Readonly<Record<string, Template>>,
    private readonly tagIds: { readonly placeholder: number; readonly start: number; readonly end: number },
  ) {}

  static async load(folder: JanusModelFolder, unknownWords: UnknownWords = 'reject'): Promise<JanusChat> {
    // Read and parsed once for both tokenizers (the folder opener only checks that it is there).
    const json = await readJsonObjectFile(folder.tokenizerFile, MAX_TOKENIZER_JSON_BYTES);
    const tokenizer = new Tokenizer(json, folder.tokenizerConfig);
    const vetting = TextTokenizer.fromJson(json, folder.tokenizerFile, { unknownWords });
    const tagId = (tag: string): number => {
      const id = tokenizer.token_to_id(tag);
      if (id === undefined) throw new ModelFileError('image tag', tag, `a token of ${folder.tokenizerFile}`, `${folder.tokenizerFile} has no token ${tag} (processor_config.json's image tags)`);
      return id;
    };
    const { placeholder, start, end } = folder.tags;
    return new JanusChat(folder, tokenizer, vetting, templatesOf(folder), { placeholder: tagId(placeholder), start: tagId(start), end: tagId(end) });
  }

  /** Text -> image: the "text_to_image" template, ending where the image's first code is drawn. */
  generationPrompt(prompt: string): JanusPrompt {
    return this.build(JANUS_TEMPLATE_NAMES.generation, this.vetted(prompt, 'prompt'), undefined);
  }

  /** A text answer to `prompt` (the "default" template with the assistant's turn opened). */
  textPrompt(prompt: string): JanusPrompt {
    return this.build(JANUS_TEMPLATE_NAMES.understanding, this.vetted(prompt, 'prompt'), undefined);
  }

  /** A question about an image: the image tag, a newline, the question, as transformers.js's Janus example writes it. */
  understandingPrompt(question: string, image: EncoderInput): JanusPrompt {
    return this.build(JANUS_TEMPLATE_NAMES.understanding, `${this.folder.tags.placeholder}\n${this.vetted(question, 'question')}`, image);
  }

  /** The text of generated ids, specials left out. */
  decode(ids: readonly number[]): string {
    return this.tokenizer.decode(ids.filter((id) => id < this.folder.textVocabSize), { skip_special_tokens: true });
  }

  private vetted(text: string, what: string): string {
    this.vetting.encode(checkPrompt(text, what));
    return text;
  }

  private build(template: string, content: string, image: EncoderInput | undefined): JanusPrompt {
    const rendered = this.render(template, content);
    const parts = rendered.split(this.folder.tags.placeholder);
    if (parts.length - 1 !== (image === undefined ? 0 : 1)) {
      throw new InputError('prompt', rendered, `${image === undefined ? 'no' : 'one'} ${this.folder.tags.placeholder} tag in the rendered template`);
    }
    const encode = (part: string): number[] => {
      // Unknown pieces come back undefined when the tokenizer has no unknown token.
      const ids: ReadonlyArray<number | undefined> = this.tokenizer.encode(part, { add_special_tokens: false }).ids;
      if (ids.some((id) => id === undefined)) throw new InputError('prompt', part, `text ${this.folder.tokenizerFile} can encode`);
      return ids as number[];
    };
    const before = encode(parts[0] as string);
    if (image === undefined) return { segments: [{ type: 'tokens', ids: before }], ids: before, text: rendered };
    const placeholders = new Array<number>(this.folder.understandingTokens).fill(this.tagIds.placeholder);
    const after = [this.tagIds.end, ...encode(parts[1] as string)];
    const head = [...before, this.tagIds.start];
    return {
      segments: [{ type: 'tokens', ids: head }, { type: 'tokens', ids: placeholders, encoded: image }, { type: 'tokens', ids: after }],
      ids: [...head, ...placeholders, ...after], text: rendered,
    };
  }

  private render(name: string, content: string): string {
    const template = this.templates[name] as Template;
    const specials: Record<string, string> = {};
    for (const field of SPECIAL_TOKEN_FIELDS) {
      const value = this.folder.tokenizerConfig[field];
      const token = typeof value === 'string' ? value
        : typeof value === 'object' && value !== null && typeof (value as { content?: unknown }).content === 'string' ? (value as { content: string }).content : undefined;
      if (token !== undefined && token !== '') specials[field] = token;
    }
    return template.render({ messages: [{ role: JANUS_USER_ROLE, content }], add_generation_prompt: true, ...specials });
  }
}

/** Most named templates tokenizer_config.json's chat_template may list (Janus has two or three). */
export const MAX_JANUS_CHAT_TEMPLATES = 64;
/** Longest template or template name, in characters (real ones are a few thousand; each is compiled). */
export const MAX_JANUS_TEMPLATE_CHARS = 256 * 1024;

/**
 * The folder's named templates (a list of { name, template } or one string, the default), the
 * fallbacks for the rest, each compiled now so a broken one is refused before any work. The list
 * and each string are bounded: the file is the folder's, not ours.
 */
function templatesOf(folder: JanusModelFolder): Readonly<Record<string, Template>> {
  const value = folder.tokenizerConfig.chat_template;
  const where = `${folder.dir}/tokenizer_config.json: chat_template`;
  const named: Record<string, string> = { ...JANUS_FALLBACK_TEMPLATES };
  if (typeof value === 'string') {
    named[JANUS_TEMPLATE_NAMES.understanding] = boundedTemplate(where, value);
  } else if (Array.isArray(value)) {
    if (value.length > MAX_JANUS_CHAT_TEMPLATES) throw new ModelFileError(where, `${value.length} templates`, `at most ${MAX_JANUS_CHAT_TEMPLATES} named templates`);
    for (const [index, entry] of (value as unknown[]).entries()) {
      const { name, template } = (entry ?? {}) as { name?: unknown; template?: unknown };
      if (typeof name !== 'string' || typeof template !== 'string') throw new ModelFileError(`${where}[${index}]`, entry, '{ name, template } with two strings');
      named[boundedTemplate(`${where}[${index}].name`, name)] = boundedTemplate(`${where}[${index}].template`, template);
    }
  } else if (value !== undefined && value !== null) {
    throw new ModelFileError(where, value, 'a template string or a list of { name, template }');
  }
  const compiled: Record<string, Template> = {};
  for (const name of Object.values(JANUS_TEMPLATE_NAMES)) {
    try {
      compiled[name] = new Template(named[name] as string);
    } catch (error) {
      throw new ModelFileError(`${where} "${name}"`, named[name], 'a Jinja template', `${where} "${name}" is not a template @huggingface/jinja can read: ${(error as Error).message}`);
    }
  }
  return compiled;
}

function boundedTemplate(where: string, text: string): string {
  if (text.length > MAX_JANUS_TEMPLATE_CHARS) {
    throw new ModelFileError(where, `${text.length} characters`, `at most ${MAX_JANUS_TEMPLATE_CHARS} characters`);
  }
  return text;
}
