import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';
import { parseModelConfig, toVocabularyLayout } from '../src/tokenizers/model-config.ts';

const PATH = 'models/default/config.json';
const SPECIALS = ['<|pad|>', '<|soi|>', '<|eoi|>', '<|sov|>', '<|eov|>', '<|t2i|>', '<|mmu|>', '<|t2v|>', '<|v2v|>', '<|lvg|>', '<|edit|>'];

/** What tools/omnitrain/export.py writes for a 29-word vocabulary, K = 512, a 7x7 grid. */
function validConfig(): Record<string, Record<string, unknown>> {
  return JSON.parse(JSON.stringify({
    name: 'omnidecode-fashion-mini',
    vocabulary: {
      textVocabSize: 29, specialTokens: SPECIALS, imageCodebookSize: 512, imageTokenOffset: 40, maskTokenId: 552,
      vocabSize: 553, bosTokenId: 1, eosTokenId: 2, unkTokenId: 0, imageGrid: { height: 7, width: 7 },
    },
    transformer: { file: 'onnx/transformer.onnx', numLayers: 4, numHeads: 4, headDim: 32, hiddenSize: 128, maxPositions: 160 },
    vq: { encoder: 'onnx/vq-encoder.onnx', decoder: 'onnx/vq-decoder.onnx', imageSize: 28, channels: 1 },
    classifier: { file: 'onnx/classifier.onnx', classes: ['t-shirt/top', 'trouser'], fidStats: 'fid-stats.json' },
    prompts: { t2iPromptLength: 12, editPromptLength: 58, mmuQuestion: 'what is this ?', classNames: ['t-shirt', 'trouser'],
      editInstructions: ['make it darker'] },
    defaults: { image: { scheduler: 'maskgit', steps: 12, guidance: 2 }, text: { scheduler: 'autoregressive', maxTokens: 8 } },
  })) as Record<string, Record<string, unknown>>;
}

function failure(edit: (config: Record<string, Record<string, unknown>>) => void): ModelFileError {
  const config = validConfig();
  edit(config);
  try {
    parseModelConfig(config, PATH);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelFileError);
    return error as ModelFileError;
  }
  throw new Error('expected parseModelConfig to throw');
}

describe('parseModelConfig', () => {
  it('accepts what the trainer writes and yields a layout the unified vocabulary accepts', () => {
    const config = parseModelConfig(validConfig(), PATH);
    expect(config.vocabulary.vocabSize).toBe(553);
    expect(config.prompts.editPromptLength).toBe(58);
    const vocabulary = new UnifiedVocabulary(toVocabularyLayout(config));
    expect(vocabulary.padTokenId).toBe(29);
    expect(vocabulary.special('<|edit|>')).toBe(39);
    expect(vocabulary.codeToId(0)).toBe(40);
    expect(vocabulary.maskTokenId).toBe(552);
  });

  it('names a missing field', () => {
    const error = failure((c) => { delete c.vocabulary?.vocabSize; });
    expect(error.what).toBe('vocabulary.vocabSize');
    expect(error.message).toBe(`${PATH}: vocabulary.vocabSize: got nothing (missing), expected an integer >= 1`);
  });

  it('names a field of the wrong type, with its value', () => {
    const error = failure((c) => { (c.transformer as Record<string, unknown>).numHeads = '4'; });
    expect(error.message).toBe(`${PATH}: transformer.numHeads: got "4", expected an integer >= 1`);
    expect(failure((c) => { (c.vocabulary?.imageGrid as Record<string, unknown>).width = 0; }).message)
      .toBe(`${PATH}: vocabulary.imageGrid.width: got 0, expected an integer >= 1`);
    expect(failure((c) => { (c.classifier as Record<string, unknown>).classes = ['a', 3]; }).message)
      .toBe(`${PATH}: classifier.classes[1]: got 3, expected a non-empty string`);
    expect(failure((c) => { (c.defaults?.image as Record<string, unknown>).guidance = -1; }).what).toBe('defaults.image.guidance');
    expect(failure((c) => { delete (c as Record<string, unknown>).prompts; }).message)
      .toBe(`${PATH}: prompts: got nothing (missing), expected an object`);
  });

  it('checks the id arithmetic of the vocabulary, giving the value it should have', () => {
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).imageTokenOffset = 39; }).message)
      .toBe(`${PATH}: vocabulary.imageTokenOffset: got 39, expected 40 (textVocabSize 29 + 11 special tokens)`);
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).vocabSize = 552; }).message)
      .toBe(`${PATH}: vocabulary.vocabSize: got 552, expected 553 (imageTokenOffset 40 + imageCodebookSize 512 + 1 for [MASK])`);
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).maskTokenId = 40; }).message)
      .toBe(`${PATH}: vocabulary.maskTokenId: got 40, expected 552 (the last id, vocabSize - 1)`);
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).eosTokenId = 29; }).what).toBe('vocabulary.eosTokenId');
    // bos and eos may be one token (Show-o: phi's <|endoftext|>); the unknown token may be neither.
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).unkTokenId = 1; }).expected)
      .toBe('an id different from vocabulary.bosTokenId');
  });

  it('requires the special tokens the layouts use, each once', () => {
    const error = failure((c) => {
      const v = c.vocabulary as Record<string, unknown>;
      v.specialTokens = SPECIALS.slice(0, 10);
      v.imageTokenOffset = 39; v.maskTokenId = 551; v.vocabSize = 552;
    });
    expect(error.what).toBe('vocabulary.specialTokens');
    expect(error.expected).toBe('a list including <|edit|> (prompts.editPromptLength sets up editing)');
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).specialTokens = SPECIALS.filter((name) => name !== '<|mmu|>').concat('<|x|>'); }).expected)
      .toBe('a list including <|mmu|>');
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).specialTokens = [...SPECIALS.slice(0, 10), '<|pad|>']; }).what)
      .toBe('vocabulary.specialTokens[10]');
  });

  it('keeps model files inside the folder, with 1 or 3 channels and room for the layouts', () => {
    expect(failure((c) => { (c.vq as Record<string, unknown>).encoder = '../elsewhere.onnx'; }).what).toBe('vq.encoder');
    expect(failure((c) => { (c.transformer as Record<string, unknown>).file = '/abs/transformer.onnx'; }).what).toBe('transformer.file');
    expect(failure((c) => { (c.vq as Record<string, unknown>).channels = 2; }).message)
      .toBe(`${PATH}: vq.channels: got 2, expected 1 (gray) or 3 (RGB)`);
    expect(failure((c) => { (c.transformer as Record<string, unknown>).maxPositions = 100; }).message)
      .toBe(`${PATH}: transformer.maxPositions: got 100, expected >= 109 (prompts.editPromptLength 58 + <|soi|> + 49 codes + <|eoi|>)`);
    expect(failure((c) => { (c.prompts as Record<string, unknown>).editPromptLength = 8; }).message)
      .toBe(`${PATH}: prompts.editPromptLength: got 8, expected an integer >= 54`);
  });

  it('names the pad token, which must be one of the specials', () => {
    const renamed = [...SPECIALS.slice(1), '[PAD]'];
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).specialTokens = renamed; }).message)
      .toBe(`${PATH}: vocabulary.padToken: got nothing (missing), expected the special the layouts pad with, one of vocabulary.specialTokens `
        + `(${renamed.join(', ')}); without this field it is <|pad|>, which the list lacks`);
    expect(failure((c) => { (c.vocabulary as Record<string, unknown>).padToken = '<pad>'; }).what).toBe('vocabulary.padToken');
    const config = validConfig();
    Object.assign(config.vocabulary as object, { specialTokens: renamed, padToken: '[PAD]' });
    expect(new UnifiedVocabulary(toVocabularyLayout(parseModelConfig(config, PATH))).padTokenId).toBe(39);
  });

  it('names a prompt template without its placeholder, or for no task', () => {
    expect(failure((c) => { (c.prompts as Record<string, unknown>).templates = { describe: 'USER: {prompt} ASSISTANT:' }; }).message)
      .toBe(`${PATH}: prompts.templates.describe: got "USER: {prompt} ASSISTANT:", expected a string with {question} exactly once (where the user's text goes)`);
    expect(failure((c) => { (c.prompts as Record<string, unknown>).templates = { mmu: '{question}' }; }).message)
      .toBe(`${PATH}: prompts.templates.mmu: got "{question}", expected no such template; the tasks are textToImage, describe, edit`);
  });

  it('rejects something that is not an object', () => {
    expect(() => parseModelConfig([], PATH)).toThrow(`${PATH}: config: got [], expected an object`);
  });
});
