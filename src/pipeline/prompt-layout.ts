/** Prompt shape the embedded model family was trained with (config.json `prompts`). */
export interface PromptLayout {
  /** Text->image: pads + <|t2i|> <|bos|> words <|eos|>, this many tokens. */
  readonly t2iPromptLength: number;
  /** Editing: pads + <|edit|> <|soi|> A <|eoi|> <|bos|> instruction <|eos|>, this many tokens. */
  readonly editPromptLength: number;
  readonly mmuQuestion: string;
}
