import type { PromptTemplates } from '../tokenizers/prompts-config.ts';
import { TEMPLATE_PLACEHOLDERS } from '../tokenizers/prompts-config.ts';
import type { PromptLayout } from './prompt-layout.ts';

/**
 * The text a task tokenizes: the model's template for the task with the user's text in place of
 * its placeholder (config.json `prompts.templates`); the text itself when the model has none.
 */
export function applyPromptTemplate(layout: PromptLayout, task: keyof PromptTemplates, text: string): string {
  const template = layout.templates?.[task];
  if (template === undefined) return text;
  // split/join, not replace: a `$&` in the user's text must stay literal.
  return template.split(TEMPLATE_PLACEHOLDERS[task]).join(text);
}
