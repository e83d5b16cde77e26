/**
 * Show-o's layout (showlab/Show-o, configs/showo_demo*.yaml, training/prompting_utils.py) as a
 * model folder's config.json (docs/model-format.md). The vocabulary, sequence layout, prompt
 * templates and decoding defaults are Show-o's; the transformer and image sizes are the caller's,
 * since a synthetic folder keeps them small.
 */

/** phi-1.5's text ids. */
export const SHOW_O_TEXT_VOCAB_SIZE = 50295;
/** The ten specials Show-o appends to phi's vocabulary, in its order (ids 50295..50304). */
export const SHOW_O_SPECIAL_TOKENS = ['[PAD]', '<|soi|>', '<|eoi|>', '<|sov|>', '<|eov|>', '<|t2i|>', '<|mmu|>', '<|t2v|>', '<|v2v|>', '<|lvg|>'] as const;
/** MAGVIT-v2 (lookup-free) codes; code c is token c + 50305. */
export const SHOW_O_CODEBOOK_SIZE = 8192;
/** phi's `<|endoftext|>`: Show-o's `<|sot|>` and `<|eot|>` both. */
export const SHOW_O_ENDOFTEXT_ID = 50256;
/** 256x256 pixels -> 16x16 codes. */
export const SHOW_O_GRID = { height: 16, width: 16 } as const;
/** `[PAD…] <|t2i|> <bos> text <eos>`, left-padded to this many tokens. */
export const SHOW_O_T2I_PROMPT_LENGTH = 129;
/** Show-o's image -> text prompt around the question. */
export const SHOW_O_MMU_TEMPLATE = 'USER: \n{question} ASSISTANT:';
export const SHOW_O_MMU_QUESTION = 'Please describe this image in detail.';

export interface ShowOConfigOptions {
  readonly name?: string;
  readonly transformer: {
    readonly file?: string;
    readonly numLayers: number;
    readonly numHeads: number;
    readonly headDim: number;
    readonly hiddenSize: number;
    readonly maxPositions: number;
  };
  readonly vq: { readonly encoder?: string; readonly decoder?: string; readonly imageSize: number };
}

/** Show-o's config.json for the given transformer and image size (RGB, no evaluation classifier, no editing). */
export function showOConfig(options: ShowOConfigOptions): object {
  const imageTokenOffset = SHOW_O_TEXT_VOCAB_SIZE + SHOW_O_SPECIAL_TOKENS.length;
  const vocabSize = imageTokenOffset + SHOW_O_CODEBOOK_SIZE + 1;
  return {
    name: options.name ?? 'show-o-layout',
    vocabulary: {
      textVocabSize: SHOW_O_TEXT_VOCAB_SIZE,
      specialTokens: [...SHOW_O_SPECIAL_TOKENS],
      padToken: '[PAD]',
      imageCodebookSize: SHOW_O_CODEBOOK_SIZE,
      imageTokenOffset,
      maskTokenId: vocabSize - 1,
      vocabSize,
      bosTokenId: SHOW_O_ENDOFTEXT_ID,
      eosTokenId: SHOW_O_ENDOFTEXT_ID,
      imageGrid: { ...SHOW_O_GRID },
    },
    transformer: { file: 'onnx/transformer.onnx', ...options.transformer },
    vq: { encoder: 'onnx/vq-encoder.onnx', decoder: 'onnx/vq-decoder.onnx', ...options.vq, channels: 3 },
    prompts: {
      t2iPromptLength: SHOW_O_T2I_PROMPT_LENGTH,
      mmuQuestion: SHOW_O_MMU_QUESTION,
      templates: { describe: SHOW_O_MMU_TEMPLATE },
    },
    defaults: {
      // 18 steps: t2i_generate's default; w = 5 in Show-o's form: what its README runs.
      image: { scheduler: 'maskgit', steps: 18, guidance: 5 },
      // Greedy AR up to max_new_tokens 100, as Show-o's MMU loop.
      text: { scheduler: 'autoregressive', maxTokens: 100 },
    },
  };
}
