import { InputError } from '../core/errors.ts';
import type { StepEvent } from '../core/step-event.ts';
import { MAX_STREAM_IMAGES } from '../core/streams/stream-layout.ts';
import type { GrayImage } from '../tokenizers/png-image.ts';
import { checkImage, checkInteger, checkPrompt } from './input-checks.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/** Most user turns in one chat; the model's positions end a chat long before this. */
export const MAX_CHAT_TURNS = 16;

export interface ChatOptions {
  /** An image the chat starts from (`<|soi|> A <|eoi|>` before the first turn), e.g. to edit it over turns. */
  readonly image?: GrayImage;
  /** How the images the model opens are decoded: a scheduler name and its options (steps, guidance, ...); config defaults.image fill the rest. */
  readonly imageScheduler?: Partial<SegmentScheduler>;
  /** How the words are decoded; a left-to-right scheduler (autoregressive, greedy, by default). */
  readonly textScheduler?: Partial<SegmentScheduler>;
  /**
   * Images one answer may open. Given: every turn must have room for that many (refused before
   * decoding otherwise). Omitted: config prompts.chat.maxImages, fewer where a turn has less room.
   */
  readonly maxImages?: number;
  /** Fixes every draw: the same seed gives the same tokens. Default 0. */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /** Each scheduler step of each turn; `turn` is 0-based, `event.image` the image's index within that turn's answer. */
  readonly onStep?: (event: StepEvent, turn: number) => void;
  /** After each turn with (done, total) turns. */
  readonly onTurn?: (done: number, total: number) => void;
}

/** The user turns: one string or a list of 1..MAX_CHAT_TURNS non-empty strings. */
export function checkChatTurns(value: unknown): readonly string[] {
  const turns = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(turns)) throw new InputError('turns', value, 'a string or an array of strings (one per user turn)');
  if (turns.length === 0 || turns.length > MAX_CHAT_TURNS) {
    throw new InputError('turns', `${turns.length} turns`, `1 to ${MAX_CHAT_TURNS} turns`,
      `turns: got ${turns.length}, expected 1 to ${MAX_CHAT_TURNS} user turns${turns.length > MAX_CHAT_TURNS ? ' (the model\'s positions run out long before)' : ''}`);
  }
  turns.forEach((turn: unknown, index) => {
    const what = `turns[${index}]`;
    checkPrompt(turn, what);
    if ((turn as string).trim() === '') throw new InputError(what, turn, 'words (an empty turn says nothing)', `turn ${index + 1} is empty: every turn needs words`);
  });
  return turns as readonly string[];
}

/** Checks what chat() takes besides the turns, naming the option. */
export function checkChatOptions(value: unknown): ChatOptions {
  if (typeof value !== 'object' || value === null) throw new InputError('options', value, 'an object');
  const { image, imageScheduler, textScheduler, maxImages, signal, onStep, onTurn } = value as Partial<Record<keyof ChatOptions, unknown>>;
  if (image !== undefined) checkImage(image, 'image');
  checkScheduler(imageScheduler, 'imageScheduler');
  checkScheduler(textScheduler, 'textScheduler');
  if (maxImages !== undefined) checkInteger(maxImages, 'maxImages', 0, MAX_STREAM_IMAGES);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InputError('signal', signal, 'an AbortSignal');
  for (const [name, callback] of [['onStep', onStep], ['onTurn', onTurn]] as const) {
    if (callback !== undefined && typeof callback !== 'function') throw new InputError(name, callback, 'a function');
  }
  return value as ChatOptions;
}

function checkScheduler(value: unknown, what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null) throw new InputError(what, value, 'an object { name?, options? }');
  const { name, options } = value as Partial<Record<keyof SegmentScheduler, unknown>>;
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new InputError(`${what}.name`, name, 'a scheduler name (a non-empty string)');
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new InputError(`${what}.options`, options, 'an object of scheduler parameters');
  }
}
