import type { GenerateSegment, GenerationRequest, Segment } from '../../src/core/request.ts';
import type { StopSettings } from '../../src/core/stop-conditions.ts';
import { UnifiedVocabulary } from '../../src/core/unified-vocabulary.ts';
import type { VocabularyLayout } from '../../src/core/vocabulary-layout.ts';

/**
 * Show-o's real vocabulary (showlab/Show-o configs/showo_demo*.yaml): phi-1.5 text ids, the ten
 * specials Show-o appends, 8192 MAGVIT-v2 codes, then [MASK] as the last id.
 */
export const SHOW_O_SPECIALS = ['[PAD]', '<|soi|>', '<|eoi|>', '<|sov|>', '<|eov|>', '<|t2i|>', '<|mmu|>', '<|t2v|>', '<|v2v|>', '<|lvg|>'] as const;

export const SHOW_O_LAYOUT: VocabularyLayout = {
  textVocabSize: 50295,
  specialTokens: SHOW_O_SPECIALS,
  imageCodebookSize: 8192,
  imageTokenOffset: 50305,
  maskTokenId: 58497,
  vocabSize: 58498,
  // <|sot|>/<|eot|> reuse phi's <|endoftext|> (50256).
  bosTokenId: 50256,
  eosTokenId: 50256,
  padToken: '[PAD]',
  imageGrid: { height: 16, width: 16 },
};

/** docs/model-format.md's eleven specials (Show-o's ten, then <|edit|>). */
export const MODEL_FORMAT_SPECIALS = ['<|pad|>', '<|soi|>', '<|eoi|>', '<|sov|>', '<|eov|>', '<|t2i|>', '<|mmu|>', '<|t2v|>', '<|v2v|>', '<|lvg|>', '<|edit|>'] as const;

/**
 * A small layout in the model-format order: text ids 0..19 ([UNK]=0, <|bos|>=1, <|eos|>=2, words
 * 3..19), specials 20..30, codes 0..15 as ids 31..46, [MASK]=47, vocab 48, grid 3x3.
 */
export const TEST_LAYOUT: VocabularyLayout = {
  textVocabSize: 20,
  specialTokens: MODEL_FORMAT_SPECIALS,
  imageCodebookSize: 16,
  imageTokenOffset: 31,
  maskTokenId: 47,
  vocabSize: 48,
  bosTokenId: 1,
  eosTokenId: 2,
  unkTokenId: 0,
  imageGrid: { height: 3, width: 3 },
};

/** Ids of TEST_LAYOUT, spelled out so tests state expected values without deriving them from src. */
export const T = {
  unk: 0, bos: 1, eos: 2, firstWord: 3,
  pad: 20, soi: 21, eoi: 22, sov: 23, eov: 24, t2i: 25, mmu: 26, t2v: 27, v2v: 28, lvg: 29, edit: 30,
  imageOffset: 31, codebook: 16, mask: 47, vocabSize: 48, textVocabSize: 20, gridTokens: 9,
} as const;

export function testVocabulary(): UnifiedVocabulary {
  return new UnifiedVocabulary(TEST_LAYOUT);
}

export function showOVocabulary(): UnifiedVocabulary {
  return new UnifiedVocabulary(SHOW_O_LAYOUT);
}

export const PROMPT_LENGTH = 6;

/** `[<|pad|> x n] <|t2i|> <|bos|> words <|eos|>` left-padded to PROMPT_LENGTH, then `<|soi|>`. */
export function t2iPrefix(words: readonly number[], promptLength = PROMPT_LENGTH): number[] {
  const prompt = [T.t2i, T.bos, ...words, T.eos];
  if (prompt.length > promptLength) throw new Error(`prompt of ${prompt.length} tokens is longer than ${promptLength}`);
  return [...new Array<number>(promptLength - prompt.length).fill(T.pad), ...prompt, T.soi];
}

export interface ImageRequestOptions {
  readonly words?: readonly number[];
  readonly scheduler?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly length?: number;
  readonly known?: readonly number[];
  /** Add the empty-prompt twin for classifier-free guidance. */
  readonly unconditional?: boolean;
  /** Append `<|eoi|>` after the image (default true). */
  readonly eoi?: boolean;
}

/** Text -> image request in the model-format layout. */
export function t2iRequest(options: ImageRequestOptions = {}): GenerationRequest {
  const generate: GenerateSegment = {
    type: 'generate', modality: 'image', scheduler: options.scheduler ?? 'maskgit',
    length: options.length ?? T.gridTokens,
    ...(options.options ? { options: options.options } : {}),
    ...(options.known ? { known: options.known } : {}),
  };
  const tail: Segment[] = options.eoi === false ? [] : [{ type: 'tokens', ids: [T.eoi] }];
  const segments: Segment[] = [{ type: 'tokens', ids: t2iPrefix(options.words ?? [T.firstWord]) }, generate, ...tail];
  if (!options.unconditional) return { segments };
  return { segments, unconditional: [{ type: 'tokens', ids: t2iPrefix([]) }, generate, ...tail] };
}

/** `<|bos|> words` then an autoregressive text segment of at most `maxTokens`. */
export function textRequest(words: readonly number[], maxTokens: number, options: Readonly<Record<string, unknown>> = {}, stop?: StopSettings): GenerationRequest {
  return {
    segments: [
      { type: 'tokens', ids: [T.bos, ...words] },
      { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: maxTokens, options, ...(stop ? { stop } : {}) },
    ],
  };
}
