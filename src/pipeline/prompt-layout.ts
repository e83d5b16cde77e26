import type { PromptTemplates } from '../tokenizers/prompts-config.ts';

/** Prompt shape a model family was trained with (config.json `prompts`). */
export interface PromptLayout {
  /** Text->image: pads + <|t2i|> <|bos|> words <|eos|>, this many tokens. */
  readonly t2iPromptLength: number;
  /** Editing: pads + <|edit|> <|soi|> A <|eoi|> <|bos|> instruction <|eos|>, this many tokens; absent: the model does not edit. */
  readonly editPromptLength?: number;
  readonly mmuQuestion: string;
  /** Text around the user's words per task; absent: the words as they are. */
  readonly templates?: PromptTemplates;
}
