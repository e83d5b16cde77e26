import type { VocabularyLayout } from '../core/vocabulary-layout.ts';
import type { FieldReader } from './config-field-reader.ts';

/**
 * config.json `vocabulary` (docs/model-format.md), validated: the core's VocabularyLayout with the pad
 * token always named (`<|pad|>` unless given; Show-o: `[PAD]`) and specials right after the text ids.
 * bos may equal eos (Show-o: phi's `<|endoftext|>` is both); unkTokenId is absent for byte-level BPEs.
 */
export type VocabularyConfig = Omit<VocabularyLayout, 'specialTokenOffset' | 'padToken'> & { readonly padToken: string };

export const DEFAULT_PAD_TOKEN = '<|pad|>';
export const EDIT_TOKEN = '<|edit|>';
/** Specials every model's layouts place (text -> image and image -> text), besides its pad token. */
export const REQUIRED_SPECIAL_TOKENS = ['<|soi|>', '<|eoi|>', '<|t2i|>', '<|mmu|>'] as const;

export function parseVocabulary(value: unknown, read: FieldReader): VocabularyConfig {
  const v = read.object(value, 'vocabulary');
  const grid = read.object(v.imageGrid, 'vocabulary.imageGrid');
  const vocabulary: VocabularyConfig = {
    textVocabSize: read.integer(v.textVocabSize, 'vocabulary.textVocabSize', 1),
    specialTokens: read.strings(v.specialTokens, 'vocabulary.specialTokens'),
    imageCodebookSize: read.integer(v.imageCodebookSize, 'vocabulary.imageCodebookSize', 1),
    imageTokenOffset: read.integer(v.imageTokenOffset, 'vocabulary.imageTokenOffset', 0),
    maskTokenId: read.integer(v.maskTokenId, 'vocabulary.maskTokenId', 0),
    vocabSize: read.integer(v.vocabSize, 'vocabulary.vocabSize', 1),
    bosTokenId: read.integer(v.bosTokenId, 'vocabulary.bosTokenId', 0),
    eosTokenId: read.integer(v.eosTokenId, 'vocabulary.eosTokenId', 0),
    ...(v.unkTokenId === undefined ? {} : { unkTokenId: read.integer(v.unkTokenId, 'vocabulary.unkTokenId', 0) }),
    padToken: v.padToken === undefined ? DEFAULT_PAD_TOKEN : read.string(v.padToken, 'vocabulary.padToken'),
    imageGrid: {
      height: read.integer(grid.height, 'vocabulary.imageGrid.height', 1),
      width: read.integer(grid.width, 'vocabulary.imageGrid.width', 1),
    },
  };
  checkSpecials(vocabulary, v.padToken, read);
  checkIdArithmetic(vocabulary, read);
  return vocabulary;
}

function checkSpecials(v: VocabularyConfig, padField: unknown, read: FieldReader): void {
  const seen = new Set<string>();
  v.specialTokens.forEach((token, index) => {
    if (seen.has(token)) read.fail(`vocabulary.specialTokens[${index}]`, token, 'a name not already listed');
    seen.add(token);
  });
  if (!seen.has(v.padToken)) {
    read.fail('vocabulary.padToken', padField, `the special the layouts pad with, one of vocabulary.specialTokens (${v.specialTokens.join(', ')})`
      + (padField === undefined ? `; without this field it is ${DEFAULT_PAD_TOKEN}, which the list lacks` : ''));
  }
  const missing = REQUIRED_SPECIAL_TOKENS.filter((token) => !seen.has(token));
  if (missing.length > 0) {
    read.fail('vocabulary.specialTokens', v.specialTokens, `a list including ${missing.join(', ')}`);
  }
}

/** The id arithmetic of docs/model-format.md, field by field. */
function checkIdArithmetic(v: VocabularyConfig, read: FieldReader): void {
  const imageTokenOffset = v.textVocabSize + v.specialTokens.length;
  if (v.imageTokenOffset !== imageTokenOffset) {
    read.fail('vocabulary.imageTokenOffset', v.imageTokenOffset,
      `${imageTokenOffset} (textVocabSize ${v.textVocabSize} + ${v.specialTokens.length} special tokens)`);
  }
  const vocabSize = v.imageTokenOffset + v.imageCodebookSize + 1;
  if (v.vocabSize !== vocabSize) {
    read.fail('vocabulary.vocabSize', v.vocabSize,
      `${vocabSize} (imageTokenOffset ${v.imageTokenOffset} + imageCodebookSize ${v.imageCodebookSize} + 1 for [MASK])`);
  }
  if (v.maskTokenId !== v.vocabSize - 1) {
    read.fail('vocabulary.maskTokenId', v.maskTokenId, `${v.vocabSize - 1} (the last id, vocabSize - 1)`);
  }
  const textIds: Array<[string, number | undefined]> = [['bosTokenId', v.bosTokenId], ['eosTokenId', v.eosTokenId], ['unkTokenId', v.unkTokenId]];
  for (const [field, id] of textIds) {
    if (id !== undefined && id >= v.textVocabSize) read.fail(`vocabulary.${field}`, id, `a text id in [0, ${v.textVocabSize - 1}]`);
  }
  // bos and eos may be one token (phi's <|endoftext|>); an unknown word must not read as either.
  if (v.unkTokenId !== undefined) {
    const clash = textIds.slice(0, 2).find(([, id]) => id === v.unkTokenId);
    if (clash !== undefined) read.fail('vocabulary.unkTokenId', v.unkTokenId, `an id different from vocabulary.${clash[0]}`);
  }
}
