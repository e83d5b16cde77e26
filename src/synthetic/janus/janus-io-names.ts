/**
 * The graph and I/O names of a Janus-layout folder, as transformers.js's MultiModalityCausalLM
 * (session_config.js, modeling_multi_modality.js) feeds and reads them. The hidden-state name is
 * not fixed by transformers.js beyond "language_model's output = the heads' input" (it picks the
 * heads' inputs from the language model's outputs by name): `hidden_states` here.
 */
export const JANUS_GRAPHS = {
  prepareInputsEmbeds: 'prepare_inputs_embeds',
  languageModel: 'language_model',
  lmHead: 'lm_head',
  genHead: 'gen_head',
  genImgEmbeds: 'gen_img_embeds',
  imageDecode: 'image_decode',
} as const;

export type JanusGraph = typeof JANUS_GRAPHS[keyof typeof JANUS_GRAPHS];

export const JANUS_HIDDEN_STATES = 'hidden_states';

export const JANUS_IO = {
  prepare_inputs_embeds: { inputs: ['input_ids', 'pixel_values', 'images_seq_mask', 'images_emb_mask'], outputs: ['inputs_embeds'] },
  language_model: { inputs: ['inputs_embeds', 'attention_mask', 'position_ids'], outputs: [JANUS_HIDDEN_STATES] },
  lm_head: { inputs: [JANUS_HIDDEN_STATES], outputs: ['logits'] },
  gen_head: { inputs: [JANUS_HIDDEN_STATES], outputs: ['logits'] },
  gen_img_embeds: { inputs: ['image_ids'], outputs: ['inputs_embeds'] },
  image_decode: { inputs: ['generated_tokens'], outputs: ['decoded_image'] },
} as const satisfies Record<JanusGraph, { inputs: readonly string[]; outputs: readonly string[] }>;
