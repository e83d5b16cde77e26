import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHOW_O_CODEBOOK_SIZE, SHOW_O_GRID, SHOW_O_MMU_QUESTION, SHOW_O_MMU_TEMPLATE, showOConfig } from './show-o-config.ts';
import { showOWordTokenizer } from './show-o-tokenizer.ts';
import { writeSyntheticDecoder } from './synthetic-decoder.ts';
import { buildSyntheticVqDecoder, buildSyntheticVqEncoder } from './synthetic-vq.ts';

/** Sizes of a synthetic Show-o-shaped folder; the vocabulary and layouts are always Show-o's. */
export interface ShowOFolderOptions {
  readonly seed?: number | string;
  /** Transformer width (default 32): the embedding and head tables are 58498 x this. */
  readonly hiddenSize?: number;
  readonly numHeads?: number;
  readonly numLayers?: number;
  /** Learned positions (default 512: the 387 of text -> image and an answer of 100 after a short question fit). */
  readonly maxPositions?: number;
  /** Side of the RGB images (default 32: 2x2-pixel patches on Show-o's 16x16 grid). */
  readonly imageSize?: number;
  /** Words the tokenizer knows by name, besides `w<id>` (default: Show-o's templates, its default question and a few more). */
  readonly words?: readonly string[];
  /** Random weight scale of the transformer (default 0.02). */
  readonly weightScale?: number;
}

/** Words of Show-o's templates and default question, then a few for prompts. */
export const SHOW_O_FOLDER_WORDS: readonly string[] = [
  ...new Set([...SHOW_O_MMU_TEMPLATE.split(/\s+/u), ...SHOW_O_MMU_QUESTION.split(/\s+/u)]
    .filter((word) => word.length > 0 && word !== '{question}')),
  'a', 'cat', 'dog', 'red', 'car', 'what', 'is', 'this?',
];

/**
 * Writes a Show-o-shaped model folder: Show-o's config.json (vocabulary of 58498 ids, `[PAD]`,
 * bos = eos = 50256, 16x16 grid, t2i prompt of 129, the MMU template, RGB, no classifier), a
 * phi-like word tokenizer, a small seeded random omni-attention transformer and a tiny random RGB
 * patch VQ encoder/decoder pair. Nothing is downloaded; the same options give the same files.
 */
export function writeShowOFolder(dir: string, options: ShowOFolderOptions = {}): void {
  const seed = options.seed ?? 'show-o';
  const hiddenSize = options.hiddenSize ?? 32;
  const numHeads = options.numHeads ?? 2;
  const numLayers = options.numLayers ?? 1;
  const maxPositions = options.maxPositions ?? 512;
  const imageSize = options.imageSize ?? 32;
  const config = showOConfig({
    name: 'show-o-synthetic',
    transformer: { numLayers, numHeads, headDim: hiddenSize / numHeads, hiddenSize, maxPositions },
    vq: { imageSize },
  }) as { vocabulary: { vocabSize: number } };
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  writeSyntheticDecoder({
    vocabSize: config.vocabulary.vocabSize, hiddenSize, numLayers, numHeads, maxPositions, seed, maskStyle: 'omni-4d',
    ...(options.weightScale === undefined ? {} : { weightScale: options.weightScale }),
  }, join(dir, 'onnx', 'transformer.onnx'));
  const vq = { imageSize, channels: 3, grid: SHOW_O_GRID, codebookSize: SHOW_O_CODEBOOK_SIZE, seed } as const;
  buildSyntheticVqEncoder(vq).writeFile(join(dir, 'onnx', 'vq-encoder.onnx'));
  buildSyntheticVqDecoder(vq).writeFile(join(dir, 'onnx', 'vq-decoder.onnx'));
  writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(showOWordTokenizer(options.words ?? SHOW_O_FOLDER_WORDS))}\n`);
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
}
