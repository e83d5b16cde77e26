import { isAbsolute } from 'node:path';
import { ModelFileError, describeValue } from '../core/errors.ts';
import type { VocabularyLayout } from '../core/vocabulary-layout.ts';
import { parseExecutionProviders, parseSessionBlock, type FieldFailure, type SessionSettings } from '../core/config/session-settings.ts';

/** config.json of a model folder (docs/model-format.md), validated. File paths are relative to the folder. */
export interface ModelConfig {
  readonly name: string;
  readonly vocabulary: {
    readonly textVocabSize: number;
    readonly specialTokens: readonly string[];
    readonly imageCodebookSize: number;
    readonly imageTokenOffset: number;
    readonly maskTokenId: number;
    readonly vocabSize: number;
    readonly bosTokenId: number;
    readonly eosTokenId: number;
    readonly unkTokenId: number;
    readonly imageGrid: { readonly height: number; readonly width: number };
  };
  readonly transformer: {
    readonly file: string;
    readonly numLayers: number;
    readonly numHeads: number;
    readonly headDim: number;
    readonly hiddenSize: number;
    readonly maxPositions: number;
  };
  readonly vq: { readonly encoder: string; readonly decoder: string; readonly imageSize: number; readonly channels: number };
  readonly classifier: { readonly file: string; readonly classes: readonly string[]; readonly fidStats: string };
  readonly prompts: {
    readonly t2iPromptLength: number;
    readonly editPromptLength: number;
    readonly mmuQuestion: string;
    readonly classNames: readonly string[];
    readonly editInstructions: readonly string[];
  };
  readonly defaults: {
    readonly image: { readonly scheduler: string; readonly steps: number; readonly guidance: number };
    readonly text: { readonly scheduler: string; readonly maxTokens: number };
  };
  /** Optional `executionProviders` and `session: { intraOpThreads, allowSpinning }`: how this model's graphs run by default. */
  readonly session: SessionSettings;
}

export const PAD_TOKEN = '<|pad|>';
/** Specials the engine's sequence layouts place; a model must define them all. */
export const REQUIRED_SPECIAL_TOKENS = [PAD_TOKEN, '<|soi|>', '<|eoi|>', '<|t2i|>', '<|mmu|>', '<|edit|>'] as const;

/**
 * Validates config.json content. Every error is a ModelFileError naming the file, the field (dotted
 * path), the value found and what was expected. Unknown keys are ignored so newer trainers can add
 * fields without breaking older engines.
 */
export function parseModelConfig(json: unknown, path: string): ModelConfig {
  const read: FieldReader = new FieldReader(path);
  const root = read.object(json, '');
  const v = read.object(root.vocabulary, 'vocabulary');
  const grid = read.object(v.imageGrid, 'vocabulary.imageGrid');
  const vocabulary = {
    textVocabSize: read.integer(v.textVocabSize, 'vocabulary.textVocabSize', 1),
    specialTokens: read.strings(v.specialTokens, 'vocabulary.specialTokens'),
    imageCodebookSize: read.integer(v.imageCodebookSize, 'vocabulary.imageCodebookSize', 1),
    imageTokenOffset: read.integer(v.imageTokenOffset, 'vocabulary.imageTokenOffset', 0),
    maskTokenId: read.integer(v.maskTokenId, 'vocabulary.maskTokenId', 0),
    vocabSize: read.integer(v.vocabSize, 'vocabulary.vocabSize', 1),
    bosTokenId: read.integer(v.bosTokenId, 'vocabulary.bosTokenId', 0),
    eosTokenId: read.integer(v.eosTokenId, 'vocabulary.eosTokenId', 0),
    unkTokenId: read.integer(v.unkTokenId, 'vocabulary.unkTokenId', 0),
    imageGrid: {
      height: read.integer(grid.height, 'vocabulary.imageGrid.height', 1),
      width: read.integer(grid.width, 'vocabulary.imageGrid.width', 1),
    },
  };
  checkVocabulary(vocabulary, read);

  const t = read.object(root.transformer, 'transformer');
  const transformer = {
    file: read.file(t.file, 'transformer.file'),
    numLayers: read.integer(t.numLayers, 'transformer.numLayers', 1),
    numHeads: read.integer(t.numHeads, 'transformer.numHeads', 1),
    headDim: read.integer(t.headDim, 'transformer.headDim', 1),
    hiddenSize: read.integer(t.hiddenSize, 'transformer.hiddenSize', 1),
    maxPositions: read.integer(t.maxPositions, 'transformer.maxPositions', 1),
  };

  const q = read.object(root.vq, 'vq');
  const vq = {
    encoder: read.file(q.encoder, 'vq.encoder'),
    decoder: read.file(q.decoder, 'vq.decoder'),
    imageSize: read.integer(q.imageSize, 'vq.imageSize', 1),
    channels: read.integer(q.channels, 'vq.channels', 1),
  };
  if (vq.channels !== 1) read.fail('vq.channels', vq.channels, '1 (grayscale, the only pixel layout the engine feeds)');

  const c = read.object(root.classifier, 'classifier');
  const classifier = {
    file: read.file(c.file, 'classifier.file'),
    classes: read.strings(c.classes, 'classifier.classes'),
    fidStats: read.file(c.fidStats, 'classifier.fidStats'),
  };

  const p = read.object(root.prompts, 'prompts');
  const codes = vocabulary.imageGrid.height * vocabulary.imageGrid.width;
  const prompts = {
    // <|t2i|> <|bos|> <|eos|> at least (the empty, unconditional prompt).
    t2iPromptLength: read.integer(p.t2iPromptLength, 'prompts.t2iPromptLength', 3),
    // <|edit|> <|soi|> codes <|eoi|> <|bos|> <|eos|> at least.
    editPromptLength: read.integer(p.editPromptLength, 'prompts.editPromptLength', codes + 5),
    mmuQuestion: read.string(p.mmuQuestion, 'prompts.mmuQuestion'),
    classNames: read.strings(p.classNames, 'prompts.classNames'),
    editInstructions: read.strings(p.editInstructions, 'prompts.editInstructions'),
  };
  // Both image layouts end with <|soi|> codes <|eoi|> after the padded prompt.
  for (const [field, length] of [['prompts.t2iPromptLength', prompts.t2iPromptLength], ['prompts.editPromptLength', prompts.editPromptLength]] as const) {
    if (length + codes + 2 > transformer.maxPositions) {
      read.fail('transformer.maxPositions', transformer.maxPositions,
        `>= ${length + codes + 2} (${field} ${length} + <|soi|> + ${codes} codes + <|eoi|>)`);
    }
  }

  const d = read.object(root.defaults, 'defaults');
  const di = read.object(d.image, 'defaults.image');
  const dt = read.object(d.text, 'defaults.text');
  const defaults = {
    image: {
      scheduler: read.string(di.scheduler, 'defaults.image.scheduler'),
      steps: read.integer(di.steps, 'defaults.image.steps', 1),
      guidance: read.number(di.guidance, 'defaults.image.guidance', 0),
    },
    text: {
      scheduler: read.string(dt.scheduler, 'defaults.text.scheduler'),
      maxTokens: read.integer(dt.maxTokens, 'defaults.text.maxTokens', 1),
    },
  };

  const fail: FieldFailure = (field, value, expected) => read.fail(field, value, expected);
  const session: SessionSettings = {
    ...(root.executionProviders === undefined ? {} : { executionProviders: parseExecutionProviders(root.executionProviders, 'executionProviders', fail) }),
    ...(root.session === undefined ? {} : parseSessionBlock(root.session, 'session', fail)),
  };

  return { name: read.string(root.name, 'name'), vocabulary, transformer, vq, classifier, prompts, defaults, session };
}

/** The engine's view of the vocabulary; the pad token is always `<|pad|>`. */
export function toVocabularyLayout(config: ModelConfig): VocabularyLayout {
  const v = config.vocabulary;
  return {
    textVocabSize: v.textVocabSize,
    specialTokens: v.specialTokens,
    specialTokenOffset: v.textVocabSize,
    imageCodebookSize: v.imageCodebookSize,
    imageTokenOffset: v.imageTokenOffset,
    maskTokenId: v.maskTokenId,
    vocabSize: v.vocabSize,
    bosTokenId: v.bosTokenId,
    eosTokenId: v.eosTokenId,
    unkTokenId: v.unkTokenId,
    padToken: PAD_TOKEN,
    imageGrid: { height: v.imageGrid.height, width: v.imageGrid.width },
  };
}

/** The id arithmetic of docs/model-format.md, field by field. */
function checkVocabulary(v: ModelConfig['vocabulary'], read: FieldReader): void {
  const seen = new Set<string>();
  v.specialTokens.forEach((token, index) => {
    if (seen.has(token)) read.fail(`vocabulary.specialTokens[${index}]`, token, 'a name not already listed');
    seen.add(token);
  });
  const missing = REQUIRED_SPECIAL_TOKENS.filter((token) => !seen.has(token));
  if (missing.length > 0) {
    read.fail('vocabulary.specialTokens', v.specialTokens, `a list including ${missing.join(', ')}`);
  }
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
  const textIds: Array<[string, number]> = [['bosTokenId', v.bosTokenId], ['eosTokenId', v.eosTokenId], ['unkTokenId', v.unkTokenId]];
  textIds.forEach(([field, id], index) => {
    if (id >= v.textVocabSize) read.fail(`vocabulary.${field}`, id, `a text id in [0, ${v.textVocabSize - 1}]`);
    const clash = textIds.slice(0, index).find(([, otherId]) => otherId === id);
    if (clash !== undefined) read.fail(`vocabulary.${field}`, id, `an id different from vocabulary.${clash[0]}`);
  });
}

/** Reads typed fields, throwing ModelFileError that names file, field, value and expectation. */
class FieldReader {
  constructor(private readonly path: string) {}

  fail(field: string, value: unknown, expected: string): never {
    const what = field === '' ? 'config' : field;
    throw new ModelFileError(what, value, expected,
      `${this.path}: ${what}: got ${value === undefined ? 'nothing (missing)' : describeValue(value)}, expected ${expected}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, value, 'an object');
    return value as Record<string, unknown>;
  }

  integer(value: unknown, field: string, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) this.fail(field, value, `an integer >= ${min}`);
    return value;
  }

  number(value: unknown, field: string, min: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) this.fail(field, value, `a finite number >= ${min}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, value, 'a non-empty string');
    return value;
  }

  strings(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(field, value, 'a non-empty array of strings');
    return value.map((item, index) => this.string(item, `${field}[${index}]`));
  }

  /** A path inside the model folder: relative, without `..`, so a config cannot point elsewhere. */
  file(value: unknown, field: string): string {
    const file = this.string(value, field);
    if (isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
      this.fail(field, file, 'a path relative to the model folder, inside it (no leading / and no ..)');
    }
    return file;
  }
}
