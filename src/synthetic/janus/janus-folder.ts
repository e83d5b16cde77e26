import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnnxGraphBuilder } from '../onnx-graph-builder.ts';
import { buildJanusGenHead, buildJanusLmHead } from './janus-heads.ts';
import { buildJanusGenImgEmbeds, buildJanusImageDecode } from './janus-image-graphs.ts';
import { JANUS_GRAPHS, type JanusGraph } from './janus-io-names.ts';
import { buildJanusLanguageModel } from './janus-language-model.ts';
import { buildJanusPrepareInputsEmbeds } from './janus-prepare-inputs-embeds.ts';
import {
  JANUS_IMAGE_SIZE, JANUS_SPECIALS, JANUS_UNDERSTANDING_TOKENS, janusSpecialIds, validateSyntheticJanusSpec, type SyntheticJanusSpec,
} from './janus-spec.ts';
import { janusWordTokenizer } from './janus-tokenizer.ts';
import { JANUS_DEFAULT_TEMPLATE, JANUS_TEMPLATE_NAMES, JANUS_TEXT_TO_IMAGE_TEMPLATE } from '../../pipeline/janus/janus-chat-templates.ts';

/** Small defaults: a folder of a few hundred kilobytes that decodes in milliseconds per step. */
export const SMALL_JANUS_SPEC: SyntheticJanusSpec = {
  textVocabSize: 64, codebookSize: 48, generationGrid: 4, patchSize: 4,
  hiddenSize: 32, numLayers: 2, numHeads: 4, maxPositions: 128, seed: 'janus',
};

const BUILDERS: Readonly<Record<JanusGraph, (spec: SyntheticJanusSpec) => OnnxGraphBuilder>> = {
  prepare_inputs_embeds: buildJanusPrepareInputsEmbeds,
  language_model: buildJanusLanguageModel,
  lm_head: buildJanusLmHead,
  gen_head: buildJanusGenHead,
  gen_img_embeds: buildJanusGenImgEmbeds,
  image_decode: buildJanusImageDecode,
};

/** config.json as transformers.js reads a Janus folder (model_type multi_modality, a llama language_config). */
export function janusConfig(spec: SyntheticJanusSpec): object {
  const ids = janusSpecialIds(spec);
  const imageTokens = spec.generationGrid * spec.generationGrid;
  return {
    architectures: ['MultiModalityCausalLM'],
    model_type: 'multi_modality',
    language_config: {
      model_type: 'llama',
      vocab_size: spec.textVocabSize,
      hidden_size: spec.hiddenSize,
      intermediate_size: 4 * spec.hiddenSize,
      num_hidden_layers: spec.numLayers,
      num_attention_heads: spec.numHeads,
      num_key_value_heads: spec.numHeads,
      head_dim: spec.hiddenSize / spec.numHeads,
      max_position_embeddings: spec.maxPositions,
      bos_token_id: ids.bos, eos_token_id: ids.eos, pad_token_id: ids.pad,
    },
    gen_head_config: { params: { image_token_size: spec.codebookSize, n_embed: spec.hiddenSize } },
    gen_vision_config: { params: { image_token_size: spec.codebookSize, num_image_tokens: imageTokens, patch_size: spec.patchSize } },
    vision_config: { params: { image_size: JANUS_IMAGE_SIZE, num_image_tokens: JANUS_UNDERSTANDING_TOKENS } },
    bos_token_id: ids.bos, eos_token_id: ids.eos, pad_token_id: ids.pad,
    'transformers.js_config': { dtype: 'fp32', use_external_data_format: false },
    omnidecode_synthetic: { seed: spec.seed, weightScale: spec.weightScale ?? 0.3, note: 'seeded random weights in the Janus six-graph layout' },
  };
}

/**
 * Writes a synthetic Janus-layout folder: onnx/{prepare_inputs_embeds, language_model, lm_head,
 * gen_head, gen_img_embeds, image_decode}.onnx, config.json, generation_config.json,
 * preprocessor_config.json (VLMImageProcessor, 384 px, the fields of the published file),
 * processor_config.json (VLChatProcessor's image tags and token count), tokenizer.json and
 * tokenizer_config.json (with the chat templates VLChatProcessor asks for by name). Nothing is
 * downloaded; the same spec gives the same files.
 */
export function writeSyntheticJanusFolder(dir: string, spec: SyntheticJanusSpec = SMALL_JANUS_SPEC): void {
  validateSyntheticJanusSpec(spec);
  const ids = janusSpecialIds(spec);
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  for (const graph of Object.values(JANUS_GRAPHS)) BUILDERS[graph](spec).writeFile(join(dir, 'onnx', `${graph}.onnx`));
  const json = (name: string, value: object): void => writeFileSync(join(dir, name), `${JSON.stringify(value, null, 2)}\n`);
  json('config.json', janusConfig(spec));
  json('generation_config.json', { bos_token_id: ids.bos, eos_token_id: ids.eos, pad_token_id: ids.pad, max_length: spec.maxPositions });
  json('preprocessor_config.json', {
    image_processor_type: 'VLMImageProcessor', processor_class: 'VLChatProcessor', image_size: JANUS_IMAGE_SIZE, min_size: 14,
    do_normalize: true, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5], rescale_factor: 1 / 255,
    background_color: [127, 127, 127],
  });
  json('processor_config.json', {
    processor_class: 'VLChatProcessor', image_tag: JANUS_SPECIALS[3], image_start_tag: JANUS_SPECIALS[4],
    image_end_tag: JANUS_SPECIALS[5], pad_tag: JANUS_SPECIALS[2], num_image_tokens: JANUS_UNDERSTANDING_TOKENS, add_special_token: false,
  });
  json('tokenizer.json', janusWordTokenizer(spec.textVocabSize));
  json('tokenizer_config.json', {
    tokenizer_class: 'PreTrainedTokenizerFast', bos_token: JANUS_SPECIALS[0], eos_token: JANUS_SPECIALS[1], pad_token: JANUS_SPECIALS[2],
    model_max_length: spec.maxPositions,
    chat_template: [
      { name: JANUS_TEMPLATE_NAMES.understanding, template: JANUS_DEFAULT_TEMPLATE },
      { name: JANUS_TEMPLATE_NAMES.generation, template: JANUS_TEXT_TO_IMAGE_TEMPLATE },
    ],
  });
}
