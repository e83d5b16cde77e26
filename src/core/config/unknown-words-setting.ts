import { ConfigError } from '../errors.ts';

/** What to do with a word the vocabulary does not contain. */
export type UnknownWords = 'reject' | 'unk';

/** What users write: 'error' (the CLI's word) and 'reject' (the API's) both refuse unknown words. */
export const UNKNOWN_WORDS_VALUES = ['unk', 'error', 'reject'] as const;

/** Reads `--unknown-words` / `unknownWords:` into the tokenizer's option, naming `field` on a bad value. */
export function parseUnknownWords(value: unknown, field: string): UnknownWords {
  if (value === 'unk') return 'unk';
  if (value === 'error' || value === 'reject') return 'reject';
  throw new ConfigError(field, value, "'unk' (map unknown words to the unknown token) or 'error' (refuse them)");
}
