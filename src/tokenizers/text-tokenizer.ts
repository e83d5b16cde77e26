import { readFile, stat } from 'node:fs/promises';
import { Tokenizer, type Encoding } from '@huggingface/tokenizers';
import { InputError, ModelFileError } from '../core/errors.ts';
import type { UnknownWords } from '../core/config/unknown-words-setting.ts';
import { MAX_TOKENIZER_JSON_BYTES } from '../node/json-object-file.ts';

export type { UnknownWords } from '../core/config/unknown-words-setting.ts';

/**
 * Longest text `encode` accepts, in characters (the pipeline's prompt limit too). Far above any
 * prompt the model's positions can hold, it only stops megabyte inputs before any work is done.
 */
export const MAX_TEXT_CHARACTERS = 4096;

/** Unknown words named (with their closest known words) in one error; the rest are counted. */
export const MAX_LISTED_UNKNOWN_WORDS = 10;

/** Longest word quoted in a message; longer ones are cut with an ellipsis. */
const MAX_QUOTED_WORD = 40;

/** How to accept unknown words, from the API and from the command line. */
const UNK_HINT = "use unknownWords: 'unk' (command line: --unknown-words unk)";

export interface TextTokenizerOptions {
  /** 'reject' (default) throws naming the words; 'unk' maps each to the unknown token. */
  readonly unknownWords?: UnknownWords;
}

export interface EncodeOptions {
  /** Overrides the tokenizer's default for this call. */
  readonly unknownWords?: UnknownWords;
}

interface TokenizerJson {
  readonly model: { readonly type?: unknown; readonly unk_token?: unknown; readonly unk_id?: unknown; readonly vocab?: unknown };
  readonly normalizer?: unknown;
  readonly pre_tokenizer?: unknown;
  readonly added_tokens?: unknown;
}

// Pre-tokenizers whose pieces never span whitespace, and normalizers that never add or remove
// whitespace: with both, encoding word by word gives exactly the ids of encoding the whole text,
// which lets every id be traced back to the word it came from.
const WHITESPACE_PRE_TOKENIZERS = new Set(['WhitespaceSplit', 'Whitespace', 'BertPreTokenizer']);
const SUB_WORD_PRE_TOKENIZERS = new Set(['Punctuation', 'Digits']);
const WORD_LOCAL_NORMALIZERS = new Set(['Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Strip', 'BertNormalizer']);

/**
 * The text side of the unified vocabulary: a Hugging Face `tokenizer.json` run by
 * @huggingface/tokenizers. That library has no WordLevel model of its own but loads a WordLevel
 * vocabulary through its "Legacy" fallback (vocabulary lookup after normalizer and pre-tokenizer),
 * which is exactly WordLevel; the unknown token, which Legacy reads from tokenizer_config.json, is
 * passed from the model section. Every word is checked so none is dropped or silently made unknown.
 */
export class TextTokenizer {
  readonly path: string;
  /** Number of text ids (highest id + 1), added tokens included. */
  readonly vocabSize: number;
  readonly unknownTokenId: number | undefined;
  private readonly tokenizer: Tokenizer;
  private readonly specialIds: ReadonlySet<number>;
  private readonly wordByWord: boolean;
  private readonly defaultUnknownWords: UnknownWords;
  private knownWordsCache: string[] | undefined;

  private constructor(json: TokenizerJson, path: string, options: TextTokenizerOptions) {
    this.path = path;
    const unkToken = typeof json.model.unk_token === 'string' ? json.model.unk_token : undefined;
    try {
      this.tokenizer = new Tokenizer(json, { unk_token: unkToken, clean_up_tokenization_spaces: false });
    } catch (error) {
      throw new ModelFileError(`${path}: model`, json.model.type, 'a tokenizer the @huggingface/tokenizers library can load',
        `${path}: cannot load the tokenizer: ${(error as Error).message}`);
    }
    const vocab = this.tokenizer.get_vocab(true);
    let maxId = -1;
    for (const id of vocab.values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    this.unknownTokenId = unkToken !== undefined ? this.tokenizer.token_to_id(unkToken)
      : typeof json.model.unk_id === 'number' ? json.model.unk_id : undefined;
    this.specialIds = new Set([...this.tokenizer.get_added_tokens_decoder()]
      .filter(([, token]) => token.special).map(([id]) => id));
    this.wordByWord = isWordLocal(json);
    this.defaultUnknownWords = checkUnknownWords(options.unknownWords ?? 'reject');
    if (this.defaultUnknownWords === 'unk') this.requireUnknownToken();
  }

  /** Builds a tokenizer from parsed or raw `tokenizer.json` content; `path` is only for messages. */
  static fromJson(json: object | string, path = 'tokenizer.json', options: TextTokenizerOptions = {}): TextTokenizer {
    let parsed: unknown = json;
    if (typeof json === 'string') {
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new ModelFileError(path, json.slice(0, 40), 'valid JSON', `${path} is not valid JSON: ${(error as Error).message}`);
      }
    }
    const model = (parsed as { model?: unknown } | null)?.model;
    if (typeof model !== 'object' || model === null) {
      throw new ModelFileError(`${path}: model`, model, 'an object (the tokenizer model section)');
    }
    return new TextTokenizer(parsed as TokenizerJson, path, options);
  }

  static async load(path: string, options: TextTokenizerOptions = {}): Promise<TextTokenizer> {
    let text: string;
    try {
      // Checked before reading: a huge file is refused, never read whole.
      const { size } = await stat(path);
      if (size > MAX_TOKENIZER_JSON_BYTES) {
        throw new ModelFileError(path, `${size} bytes`, `at most ${MAX_TOKENIZER_JSON_BYTES} bytes`, `${path} is ${size} bytes; a tokenizer.json may be at most ${MAX_TOKENIZER_JSON_BYTES}`);
      }
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (error instanceof ModelFileError) throw error;
      throw new ModelFileError(path, undefined, 'a readable tokenizer.json', `cannot read ${path}: ${(error as Error).message}`);
    }
    return TextTokenizer.fromJson(text, path, options);
  }

  /** The id of a token string (added tokens included), or undefined if the vocabulary lacks it. */
  tokenId(token: string): number | undefined {
    return this.tokenizer.token_to_id(token);
  }

  /**
   * Text ids for `text`, without bos/eos. Empty text gives [] (unconditional generation). Special
   * tokens typed into the text are rejected: they would break the prompt layout.
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    const mode = checkUnknownWords(options.unknownWords ?? this.defaultUnknownWords);
    if (mode === 'unk') this.requireUnknownToken();
    if (typeof text !== 'string') throw new InputError('text', text, 'a string');
    if (text.length > MAX_TEXT_CHARACTERS) {
      throw new InputError('text', `${text.length} characters`, `at most ${MAX_TEXT_CHARACTERS} characters`);
    }
    const words = text.split(/\s+/u).filter((word) => word.length > 0);
    if (words.length === 0) return [];
    const unknown: string[] = [];
    const perWord = words.map((word) => {
      const ids = this.encodeRaw(word);
      const special = ids.find((id) => id !== undefined && id !== this.unknownTokenId && this.specialIds.has(id));
      if (special !== undefined) {
        throw new InputError('text', word, 'ordinary words',
          `"${word}" contains the special token ${this.tokenizer.id_to_token(special) ?? special}, which cannot be part of a prompt`);
      }
      // An unknown piece comes back as the unknown id, or as undefined when the model has none;
      // a word that yields no ids at all was dropped by the normalizer or pre-tokenizer.
      const isUnknown = ids.length === 0 || ids.some((id) => id === undefined || id === this.unknownTokenId);
      if (isUnknown && !unknown.includes(word)) unknown.push(word);
      return { ids };
    });
    if (unknown.length > 0 && mode === 'reject') throw this.unknownWordsError(unknown);
    if (this.wordByWord) {
      const unk = this.unknownTokenId as number;
      // Like Hugging Face's WordLevel: each unknown piece becomes the unknown token, and a word the
      // pre-tokenizer dropped entirely still keeps its place as one.
      return perWord.flatMap(({ ids }) => (ids.length === 0 ? [unk] : ids.map((id) => id ?? unk)));
    }
    // Subword models whose pieces depend on neighbouring spaces (byte-level BPE, Metaspace) must
    // be encoded as a whole; the per-word pass above has already vetted every word.
    const ids = this.encodeRaw(text);
    if (perWord.some(({ ids: wordIds }) => wordIds.length === 0)) {
      throw new InputError('text', unknown, 'words the tokenizer keeps',
        `${this.path} drops ${listWords(unknown.map(quote))} entirely, so it cannot be mapped to the unknown token`);
    }
    const unknownPiece = ids.some((id) => id === undefined || id === this.unknownTokenId);
    if (unknownPiece && mode === 'reject') {
      // Only in context (e.g. the spaces between words) did something fall outside the vocabulary.
      throw new InputError('text', text, `text the tokenizer ${this.path} can encode without its unknown token`,
        `${this.path} cannot encode ${quote(text)} without the unknown token (each word alone is fine); ${UNK_HINT} to accept that`);
    }
    return ids.map((id) => id ?? (this.unknownTokenId as number));
  }

  /** The library's ids; typed with undefined because it yields that for unknown pieces when there is no unknown token. */
  private encodeRaw(text: string): Array<number | undefined> {
    const encoding: Encoding = this.tokenizer.encode(text, { add_special_tokens: false });
    return encoding.ids;
  }

  /** Text for ids: words joined by spaces, control tokens (bos, eos, ...) skipped, unknown shown as its token. */
  decode(ids: ArrayLike<number>): string {
    const kept: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize || this.tokenizer.id_to_token(id) === undefined) {
        throw new InputError(`text ids[${i}]`, id, `a text token id in [0, ${this.vocabSize - 1}]`);
      }
      if (!this.specialIds.has(id) || id === this.unknownTokenId) kept.push(id);
    }
    if (kept.length === 0) return '';
    return this.tokenizer.decode(kept, { skip_special_tokens: false, clean_up_tokenization_spaces: false }).trim();
  }

  /** Ordinary (non-special) tokens, for hints. */
  knownWords(): readonly string[] {
    if (this.knownWordsCache === undefined) {
      this.knownWordsCache = [...this.tokenizer.get_vocab(true)]
        .filter(([, id]) => !this.specialIds.has(id)).map(([token]) => token);
    }
    return this.knownWordsCache;
  }

  private unknownWordsError(words: readonly string[]): InputError {
    const known = this.knownWords();
    // Hints only for the words listed: the message stays short however long the prompt.
    const hints = words.slice(0, MAX_LISTED_UNKNOWN_WORDS).map((word) => {
      const closest = word.length > MAX_QUOTED_WORD ? [] : closestWords(word.toLowerCase(), known, 3);
      return closest.length > 0 ? `${quote(word)} (closest known: ${closest.join(', ')})` : quote(word);
    });
    return new InputError('text', words, `words from the vocabulary of ${this.path}`,
      `unknown word${words.length > 1 ? 's' : ''} ${listWords(hints, words.length, '; ')}. The tokenizer (${this.path}) knows ${known.length} ${this.wordByWord ? 'words' : 'tokens'}; `
      + `rephrase with known words, or ${UNK_HINT} to map unknown words to the unknown token`);
  }

  private requireUnknownToken(): void {
    if (this.unknownTokenId === undefined) {
      throw new ModelFileError(`${this.path}: model.unk_token`, undefined, "a token in the vocabulary (needed by unknownWords: 'unk')");
    }
  }
}

/** A word in quotes, cut to MAX_QUOTED_WORD characters. */
function quote(word: string): string {
  return JSON.stringify(word.length > MAX_QUOTED_WORD ? `${word.slice(0, MAX_QUOTED_WORD)}…` : word);
}

/** At most MAX_LISTED_UNKNOWN_WORDS items, then "and N more" for the rest of `total`. */
function listWords(items: readonly string[], total = items.length, separator = ', '): string {
  const listed = items.slice(0, MAX_LISTED_UNKNOWN_WORDS).join(separator);
  return total > MAX_LISTED_UNKNOWN_WORDS ? `${listed} and ${total - MAX_LISTED_UNKNOWN_WORDS} more` : listed;
}

function checkUnknownWords(value: unknown): UnknownWords {
  if (value !== 'reject' && value !== 'unk') throw new InputError('unknownWords', value, "'reject' or 'unk'");
  return value;
}

function isWordLocal(json: TokenizerJson): boolean {
  const pre = componentTypes(json.pre_tokenizer, 'pretokenizers');
  const normalizers = componentTypes(json.normalizer, 'normalizers');
  if (pre === undefined || normalizers === undefined) return false;
  const splitsOnWhitespace = pre.some((type) => WHITESPACE_PRE_TOKENIZERS.has(type))
    && pre.every((type) => WHITESPACE_PRE_TOKENIZERS.has(type) || SUB_WORD_PRE_TOKENIZERS.has(type));
  return splitsOnWhitespace && normalizers.every((type) => WORD_LOCAL_NORMALIZERS.has(type));
}

/** Component types, with Sequence flattened; [] for null; undefined if not understood. */
function componentTypes(component: unknown, listKey: string): string[] | undefined {
  if (component === null || component === undefined) return [];
  if (typeof component !== 'object') return undefined;
  const { type } = component as { type?: unknown };
  if (type === 'Sequence') {
    const list = (component as Record<string, unknown>)[listKey];
    if (!Array.isArray(list)) return undefined;
    const nested = list.map((item) => componentTypes(item, listKey));
    return nested.some((types) => types === undefined) ? undefined : nested.flatMap((types) => types ?? []);
  }
  return typeof type === 'string' ? [type] : undefined;
}

/** The `count` known words nearest by edit distance (ties alphabetical), within half the word's length. */
export function closestWords(word: string, known: readonly string[], count: number): string[] {
  const limit = Math.max(2, Math.ceil(word.length / 2));
  return known
    .map((candidate) => ({ candidate, distance: editDistance(word, candidate) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map(({ candidate }) => candidate);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}
