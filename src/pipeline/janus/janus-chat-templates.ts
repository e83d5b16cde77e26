/**
 * Chat templates for a Janus folder whose tokenizer_config.json has none: DeepSeek's SFT format as
 * Janus's own code writes it ("<|User|>: ...\n\n<|Assistant|>:", generation ending in
 * <begin_of_image>), named as transformers.js's VLChatProcessor asks for them ("default" for
 * understanding and text, "text_to_image" for generation). A folder's own templates always win;
 * these were not checked against a published file (none was reachable here).
 */
export const JANUS_DEFAULT_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ message['role'] + ': ' + message['content'] + '\\n\\n' }}{% endfor %}"
  + "{% if add_generation_prompt %}{{ '<|Assistant|>:' }}{% endif %}";

export const JANUS_TEXT_TO_IMAGE_TEMPLATE = "{{ bos_token }}{% for message in messages %}{{ message['role'] + ': ' + message['content'] + '\\n\\n' }}{% endfor %}"
  + "{{ '<|Assistant|>:<begin_of_image>' }}";

/** The names VLChatProcessor passes as `chat_template`. */
export const JANUS_TEMPLATE_NAMES = { understanding: 'default', generation: 'text_to_image' } as const;

/** The user role Janus's conversations use. */
export const JANUS_USER_ROLE = '<|User|>';

export const JANUS_FALLBACK_TEMPLATES: Readonly<Record<string, string>> = {
  [JANUS_TEMPLATE_NAMES.understanding]: JANUS_DEFAULT_TEMPLATE,
  [JANUS_TEMPLATE_NAMES.generation]: JANUS_TEXT_TO_IMAGE_TEMPLATE,
};
