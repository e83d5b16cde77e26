import { ConfigError } from '../../core/errors.ts';

/**
 * A tiny Janus-layout model (the six-graph ONNX folder transformers.js's MultiModalityCausalLM
 * runs): a text vocabulary whose specials sit above the image codebook, an understanding encoder
 * that turns each 384x384 image into `understandingTokens` embeddings, a generation codebook of
 * `codebookSize` codes laid out on a `generationGrid` x `generationGrid` grid, and a small decoder.
 */
export interface SyntheticJanusSpec {
  /** Rows of lm_head and of the text embedding; the specials (JANUS_SPECIALS) are its last ids. */
  readonly textVocabSize: number;
  /** Columns of gen_head; must be <= the first special id so no image code is an EOS. */
  readonly codebookSize: number;
  /** Side of the generated token grid: generation makes generationGrid^2 image ids. */
  readonly generationGrid: number;
  /** Pixels per side of one decoded code (image_decode gives generationGrid * patchSize pixels a side). */
  readonly patchSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly maxPositions: number;
  readonly seed: number | string;
  /** Standard deviation of the random weights; default 0.3, so greedy choices are well separated. */
  readonly weightScale?: number;
}

/** The understanding input side, as the published files and transformers.js fix it. */
export const JANUS_IMAGE_SIZE = 384;
/** Understanding patches per side: a 384 image becomes 4 x 4 = 16 embeddings (Janus: 24 x 24 = 576). */
export const JANUS_UNDERSTANDING_GRID = 4;
export const JANUS_UNDERSTANDING_TOKENS = JANUS_UNDERSTANDING_GRID * JANUS_UNDERSTANDING_GRID;

/** Janus's special tokens, in this order, as the last ids of the text vocabulary. */
export const JANUS_SPECIALS = [
  '<｜begin▁of▁sentence｜>', '<｜end▁of▁sentence｜>', '<｜▁pad▁｜>', '<image_placeholder>', '<begin_of_image>', '<end_of_image>',
] as const;

export interface JanusSpecialIds {
  readonly bos: number;
  readonly eos: number;
  readonly pad: number;
  readonly imagePlaceholder: number;
  readonly beginOfImage: number;
  readonly endOfImage: number;
}

export function janusSpecialIds(spec: Pick<SyntheticJanusSpec, 'textVocabSize'>): JanusSpecialIds {
  const first = spec.textVocabSize - JANUS_SPECIALS.length;
  return { bos: first, eos: first + 1, pad: first + 2, imagePlaceholder: first + 3, beginOfImage: first + 4, endOfImage: first + 5 };
}

export function validateSyntheticJanusSpec(spec: SyntheticJanusSpec): void {
  for (const field of ['textVocabSize', 'codebookSize', 'generationGrid', 'patchSize', 'hiddenSize', 'numLayers', 'numHeads', 'maxPositions'] as const) {
    const value = spec[field];
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`synthetic janus ${field}`, value, 'an integer >= 1');
  }
  if (spec.hiddenSize % spec.numHeads !== 0) {
    throw new ConfigError('synthetic janus hiddenSize', spec.hiddenSize, `a multiple of numHeads (${spec.numHeads})`);
  }
  const firstSpecial = spec.textVocabSize - JANUS_SPECIALS.length;
  if (firstSpecial < 1 || spec.codebookSize > firstSpecial) {
    throw new ConfigError('synthetic janus codebookSize', spec.codebookSize,
      `<= ${firstSpecial} (the first special id: an image code equal to EOS would be suppressed by transformers.js's min_new_tokens)`);
  }
  const scale = spec.weightScale;
  if (scale !== undefined && !(Number.isFinite(scale) && scale > 0)) {
    throw new ConfigError('synthetic janus weightScale', scale, 'a finite number > 0');
  }
}
