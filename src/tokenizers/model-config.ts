import type { VocabularyLayout } from '../core/vocabulary-layout.ts';
import { parseExecutionProviders, parseSessionBlock, type FieldFailure, type SessionSettings } from '../core/config/session-settings.ts';
import { FieldReader } from './config-field-reader.ts';
import type { ImageChannels } from './gray-image.ts';
import { parsePrompts, type PromptsConfig } from './prompts-config.ts';
import { EDIT_TOKEN, parseVocabulary, type VocabularyConfig } from './vocabulary-config.ts';

export { DEFAULT_PAD_TOKEN, EDIT_TOKEN, REQUIRED_SPECIAL_TOKENS, type VocabularyConfig } from './vocabulary-config.ts';
export { TEMPLATE_PLACEHOLDERS, type ChatPromptConfig, type PromptTemplates, type PromptsConfig } from './prompts-config.ts';

/** config.json of a model folder (docs/model-format.md), validated. File paths are relative to the folder. */
export interface ModelConfig {
  readonly name: string;
  readonly vocabulary: VocabularyConfig;
  readonly transformer: {
    readonly file: string;
    readonly numLayers: number;
    readonly numHeads: number;
    readonly headDim: number;
    readonly hiddenSize: number;
    readonly maxPositions: number;
  };
  /** `channels`: 1 (gray) or 3 (RGB) planes in the graphs' `pixels` [B, channels, imageSize, imageSize]. */
  readonly vq: { readonly encoder: string; readonly decoder: string; readonly imageSize: number; readonly channels: ImageChannels };
  /** The evaluation classifier: only `evaluate` (and sweeps, which score with it) need one. */
  readonly classifier?: { readonly file: string; readonly classes: readonly string[]; readonly fidStats: string };
  readonly prompts: PromptsConfig;
  readonly defaults: {
    readonly image: { readonly scheduler: string; readonly steps: number; readonly guidance: number };
    readonly text: { readonly scheduler: string; readonly maxTokens: number };
  };
  /** Optional `executionProviders` and `session: { intraOpThreads, allowSpinning }`: how this model's graphs run by default. */
  readonly session: SessionSettings;
}

/**
 * Validates config.json content. Every error is a ModelFileError naming the file, the field (dotted
 * path), the value found and what was expected. Unknown keys are ignored so newer trainers can add
 * fields without breaking older engines.
 */
export function parseModelConfig(json: unknown, path: string): ModelConfig {
  const read: FieldReader = new FieldReader(path);
  const root = read.object(json, '');
  const vocabulary = parseVocabulary(root.vocabulary, read);

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
  const channels = read.integer(q.channels, 'vq.channels', 1);
  if (channels !== 1 && channels !== 3) read.fail('vq.channels', channels, '1 (gray) or 3 (RGB)');
  const vq = {
    encoder: read.file(q.encoder, 'vq.encoder'),
    decoder: read.file(q.decoder, 'vq.decoder'),
    imageSize: read.integer(q.imageSize, 'vq.imageSize', 1),
    channels: channels as ImageChannels,
  };

  let classifier: ModelConfig['classifier'];
  if (root.classifier !== undefined) {
    const c = read.object(root.classifier, 'classifier');
    classifier = {
      file: read.file(c.file, 'classifier.file'),
      classes: read.strings(c.classes, 'classifier.classes'),
      fidStats: read.file(c.fidStats, 'classifier.fidStats'),
    };
  }

  const codes = vocabulary.imageGrid.height * vocabulary.imageGrid.width;
  const prompts = parsePrompts(root.prompts, codes, read);
  const hasEdit = vocabulary.specialTokens.includes(EDIT_TOKEN);
  if (prompts.editPromptLength !== undefined && !hasEdit) {
    read.fail('vocabulary.specialTokens', vocabulary.specialTokens, `a list including ${EDIT_TOKEN} (prompts.editPromptLength sets up editing)`);
  }
  if (prompts.chat !== undefined && !vocabulary.specialTokens.includes(prompts.chat.taskToken)) {
    read.fail('prompts.chat.taskToken', prompts.chat.taskToken, `one of vocabulary.specialTokens (${vocabulary.specialTokens.join(', ')})`);
  }
  // Both image layouts end with <|soi|> codes <|eoi|> after the padded prompt.
  const lengths: Array<[string, number | undefined]> = [['prompts.t2iPromptLength', prompts.t2iPromptLength], ['prompts.editPromptLength', prompts.editPromptLength]];
  for (const [field, length] of lengths) {
    if (length !== undefined && length + codes + 2 > transformer.maxPositions) {
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

  return {
    name: read.string(root.name, 'name'), vocabulary, transformer, vq, ...(classifier === undefined ? {} : { classifier }), prompts, defaults, session,
  };
}

/** The engine's view of the vocabulary. */
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
    ...(v.unkTokenId === undefined ? {} : { unkTokenId: v.unkTokenId }),
    padToken: v.padToken,
    imageGrid: { height: v.imageGrid.height, width: v.imageGrid.width },
  };
}
