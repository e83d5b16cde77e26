import { parseSeed } from '../core/config/parse-seed.ts';
import { InputError, InvalidRequestError, OmnidecodeError } from '../core/errors.ts';
import type { GenerationResult } from '../core/generation-result.ts';
import type { ChatPromptConfig } from '../tokenizers/prompts-config.ts';
import { readChatAnswer } from './chat-answer.ts';
import { answerPositions, checkChatBudget, imagesThatFit, type ChatBudget } from './chat-budget.ts';
import { checkChatOptions, checkChatTurns, type ChatOptions } from './chat-options.ts';
import { chatOpening, chatTurnRequest, contextIds, contextLength, userTurn, userTurnLength, type ChatContextPiece } from './chat-request.ts';
import type { ChatPart, ChatRun, ChatTurn } from './chat-result.ts';
import type { OmnidecodePipeline } from './omnidecode-pipeline.ts';
import type { SegmentScheduler } from './scheduler-choice.ts';

/** The model's chat layout (config.json prompts.chat); a model without one is refused, naming its folder. */
export function chatLayout(pipeline: OmnidecodePipeline): ChatPromptConfig {
  const chat = pipeline.config.prompts.chat;
  if (chat === undefined) {
    throw new InputError('chat', pipeline.folder.dir, 'a model whose config.json has prompts.chat (see docs/model-format.md, "Chat layout")',
      `the model in ${pipeline.folder.dir} cannot chat: its config.json has no prompts.chat (a model trained on the chat layout has one; see docs/model-format.md)`);
  }
  return chat;
}

/**
 * Interleaved chat: each turn appends `<|bos|> words <|eos|>` to everything so far and decodes the
 * answer as one stream — words by the text scheduler until the model draws <|soi|>, then an image by
 * the image scheduler, then words again, until <|eos|>. Everything that can be refused (words the
 * vocabulary lacks, a chat or image budget the positions cannot hold, a model without chat) is
 * refused before the first forward.
 */
export async function runChat(pipeline: OmnidecodePipeline, turnsArgument: string | readonly string[], optionsArgument: ChatOptions): Promise<ChatRun> {
  const turns = checkChatTurns(turnsArgument);
  const options = checkChatOptions(optionsArgument);
  const seed = parseSeed(options.seed ?? 0, 'seed');
  const chat = chatLayout(pipeline);
  const { vocabulary, imageTokenizer } = pipeline;
  const image = pipeline.schedulerFor('image', imageChoice(pipeline, options));
  const text = pipeline.schedulerFor('text', options.textScheduler);
  const words = turns.map((turn, index) => encodeTurn(pipeline, turn, index));
  words.forEach((ids, index) => checkTurnLength(ids, chat.userTurnLength, turns[index] as string, index));
  const source = options.image === undefined ? undefined : (await imageTokenizer.encode([options.image]))[0] as Int32Array;
  const context: ChatContextPiece[] = chatOpening(vocabulary, chat.taskToken, source);
  const budget: ChatBudget = {
    maxPositions: pipeline.config.transformer.maxPositions, imagePositions: vocabulary.imageTokenCount + 2,
    // A later turn's padding depends on how the answer before it ends; its longer padding is reserved.
    prefix: contextLength(context), maxImages: options.maxImages,
    userPositions: words.map((ids, turn) => userTurnLength(chat, ids, turn === 0 && source !== undefined) ?? ids.length + 2),
  };
  checkChatBudget(budget);

  const done: ChatTurn[] = [];
  let afterImage = source !== undefined;
  for (const [turn, ids] of words.entries()) {
    context.push(userTurn(vocabulary, ids, userTurnLength(chat, ids, afterImage)));
    const start = contextLength(context);
    const positions = answerPositions(budget, turn, start);
    const maxImages = options.maxImages ?? Math.min(chat.maxImages, imagesThatFit(positions, budget.imagePositions));
    // One position kept for the <|eos|> an answer cut short gets in the context.
    const settings = { text, image, length: positions - 1, maxImages };
    const result = await decodeTurn(pipeline, context, settings, turn, seed, options);
    const row = result.rows[0];
    if (row === undefined) throw new InvalidRequestError('chat turn', turn, 'one row back from the engine');
    const answer = readChatAnswer(row, vocabulary);
    const codes = answer.parts.flatMap((part) => (part.kind === 'image' ? [part.codes] : []));
    const images = codes.length === 0 ? [] : await imageTokenizer.decode(codes);
    let drawn = 0;
    const parts: ChatPart[] = answer.parts.map((part) => (part.kind === 'image'
      ? { kind: 'image', codes: part.codes, image: images[drawn++] as NonNullable<(typeof images)[number]> }
      : { kind: 'text', text: pipeline.textToString(part.tokens), tokens: part.tokens }));
    context.push(...answer.context);
    afterImage = answer.parts.at(-1)?.kind === 'image';
    const tokens = contextIds(answer.context, vocabulary);
    done.push({ user: turns[turn] as string, parts, tokens, start, maxImages, result, ...(answer.limit ? { limit: answer.limit } : {}) });
    options.onTurn?.(turn + 1, turns.length);
  }
  return {
    turns: done, tokens: contextIds(context, vocabulary), ...(source ? { source } : {}), schedulers: { image, text },
    forwardPasses: done.reduce((sum, turn) => sum + turn.result.stats.forwardPasses, 0),
    wallMs: done.reduce((sum, turn) => sum + turn.result.stats.wallMs, 0),
  };
}

/**
 * Editing turns were never trained with their words dropped (only drawing turns were), so a chat that
 * starts from an image decodes without guidance unless asked, as `edit` does.
 */
function imageChoice(pipeline: OmnidecodePipeline, options: ChatOptions): Partial<SegmentScheduler> | undefined {
  return options.image === undefined ? options.imageScheduler : withoutGuidanceUnlessAsked(pipeline, options.imageScheduler);
}

/** The image scheduler of a chat that starts from an image (and of `evaluate interleaved`'s edit chats). */
export function withoutGuidanceUnlessAsked(pipeline: OmnidecodePipeline, choice: Partial<SegmentScheduler> | undefined): Partial<SegmentScheduler> | undefined {
  if (choice?.options?.guidance !== undefined) return choice;
  const name = choice?.name ?? pipeline.config.defaults.image.scheduler;
  if (!pipeline.schedulers.names().includes(name) || !('guidance' in pipeline.schedulers.get(name).parameters.shape)) return choice;
  return { ...choice, options: { ...choice?.options, guidance: 0 } };
}

/** A turn longer than the model's padded user turn is refused before decoding, with the limit in words. */
function checkTurnLength(ids: readonly number[], length: number | undefined, turn: string, index: number): void {
  if (length === undefined || ids.length + 2 <= length) return;
  throw new InputError(`turns[${index}]`, `${ids.length} tokens`, `at most ${length - 2}`,
    `turn ${index + 1} ("${turn.length > 80 ? `${turn.slice(0, 80)}…` : turn}") has ${ids.length} tokens; this model's chat turns hold at most ${length - 2} `
    + '(prompts.chat.userTurnLength, <|bos|> and <|eos|> included, as it was trained)');
}

/** The turn's words; an unknown word is named with the turn it is in. */
function encodeTurn(pipeline: OmnidecodePipeline, turn: string, index: number): number[] {
  try {
    return pipeline.encodeText(turn);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const named = new InputError(`turns[${index}]`, error.got, error.expected, `turn ${index + 1} ("${turn}"): ${error.message}`);
    named.cause = error;
    throw named;
  }
}

interface TurnSettings { readonly text: SegmentScheduler; readonly image: SegmentScheduler; readonly length: number; readonly maxImages: number }

async function decodeTurn(
  pipeline: OmnidecodePipeline, context: readonly ChatContextPiece[], settings: TurnSettings, turn: number, seed: number, options: ChatOptions,
): Promise<GenerationResult> {
  if (settings.length < 1) return closedWithoutDecoding(pipeline, context);
  const request = chatTurnRequest(context, settings, `turn-${turn}`);
  const onStep = options.onStep;
  try {
    return await pipeline.engine.generate(request, {
      seed, stream: 'chat', ...(options.signal ? { signal: options.signal } : {}),
      ...(onStep ? { onStep: (event) => onStep(event, turn) } : {}),
    });
  } catch (error) {
    // The engine names the request's segment; the user chose a text scheduler.
    if (error instanceof OmnidecodeError && error.what === `segments[${context.length}].scheduler`) {
      const named = new InputError('textScheduler', settings.text.name, error.expected,
        `textScheduler: "${settings.text.name}" cannot write a chat answer: expected ${error.expected}`);
      named.cause = error;
      throw named;
    }
    throw error;
  }
}

/** No room left for even a word: the answer is its closing <|eos|>, no forward run. */
function closedWithoutDecoding(pipeline: OmnidecodePipeline, context: readonly ChatContextPiece[]): GenerationResult {
  const tokens = contextIds(context, pipeline.vocabulary);
  return {
    rows: [{ tokens, segments: [], limit: 'max tokens' }],
    stats: { forwardPasses: 0, wallMs: 0, modelMs: 0, schedulerMs: 0, prefillMs: 0, phases: [] },
  };
}
