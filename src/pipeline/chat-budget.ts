import { InputError } from '../core/errors.ts';

/**
 * Positions of a chat. Every turn's user text is known before decoding, so a chat that cannot fit
 * is refused before any forward: the context, each turn's `<|bos|> words <|eos|>`, and each answer's
 * closing <|eos|> must fit; with an explicit maxImages, every turn must also have room for that many
 * images (`<|soi|>` codes `<|eoi|>` each), so no turn is starved by the ones before it.
 */
export interface ChatBudget {
  readonly maxPositions: number;
  /** Positions of one opened image: <|soi|>, the codes, <|eoi|>. */
  readonly imagePositions: number;
  /** `<|lvg|>` and the source image, when given. */
  readonly prefix: number;
  /** `<|bos|> words <|eos|>` per turn. */
  readonly userPositions: readonly number[];
  /** The caller's per-turn image limit; undefined: the model's default, fitted to what each turn has left. */
  readonly maxImages: number | undefined;
}

/** Refuses a chat whose turns (and, when asked, images) cannot fit the model's positions, saying the limit. */
export function checkChatBudget(budget: ChatBudget): void {
  const { maxPositions, imagePositions, prefix, userPositions, maxImages } = budget;
  const turns = userPositions.length;
  const text = prefix + userPositions.reduce((sum, length) => sum + length, 0) + turns;
  const opening = prefix > 1 ? '<|lvg|> with the source image' : '<|lvg|>';
  const context = `${opening}, ${turns} user turn${turns === 1 ? '' : 's'} and ${turns === 1 ? 'its answer\'s' : 'their answers\''} <|eos|> take ${text} positions`;
  if (text > maxPositions) {
    throw new InputError('turns', `${turns} turns taking ${text} positions`, `at most ${maxPositions} positions`,
      `the chat does not fit the model: ${context}; the model has ${maxPositions}; use fewer or shorter turns`);
  }
  if (maxImages === undefined) return;
  const fit = Math.floor((maxPositions - text) / (turns * imagePositions));
  if (maxImages > fit) {
    const per = turns === 1 ? '' : ' per turn';
    throw new InputError('maxImages', maxImages, `at most ${fit}`,
      `maxImages: got ${maxImages}, expected at most ${fit}: at most ${fit} image${fit === 1 ? '' : 's'}${per} fit in ${maxPositions} positions after this context `
      + `(${context}; each image takes ${imagePositions}: <|soi|>, ${imagePositions - 2} codes, <|eoi|>)`);
  }
}

/**
 * Positions turn `turn` may use for its answer (its <|eos|> included), given the context before it:
 * what is left after the later turns' share (their user text and closing <|eos|>, plus their images
 * when the caller fixed maxImages).
 */
export function answerPositions(budget: ChatBudget, turn: number, contextLength: number): number {
  const perLaterTurn = 1 + (budget.maxImages ?? 0) * budget.imagePositions;
  const later = budget.userPositions.slice(turn + 1).reduce((sum, length) => sum + length + perLaterTurn, 0);
  return budget.maxPositions - contextLength - later;
}

/** Images that fit in `positions` with the answer's <|eos|>. */
export function imagesThatFit(positions: number, imagePositions: number): number {
  return Math.max(0, Math.floor((positions - 1) / imagePositions));
}
