import type { DependencyContainer } from 'tsyringe';
import { JanusIdSpace } from '../../backends/onnx/janus/janus-id-space.ts';
import { ConfigError, InputError } from '../../core/errors.ts';
import type { ExecutionProviderChoice } from '../../core/transformer-backend.ts';
import type { GrayImage } from '../../tokenizers/png-image.ts';
import type { UnknownWords } from '../../tokenizers/text-tokenizer.ts';
import { checkPipelineOptions } from '../pipeline-options.ts';
import { JanusChat, type JanusPrompt } from './janus-chat.ts';
import { janusPixelValues } from './janus-image-input.ts';
import { openJanusModelFolder, type JanusModelFolder } from './janus-model-folder.ts';

/** JanusPipeline's load options: OmnidecodePipeline's, with the model folder required. */
export interface JanusPipelineOptions {
  /** A Janus-layout folder (docs/model-format.md, "Janus-layout folders"). */
  readonly model: string;
  /** Schedulers and plugins (a fresh container with the built-ins by default). */
  readonly container?: DependencyContainer;
  readonly unknownWords?: UnknownWords;
  /** ONNX Runtime intra-op threads, an integer from 1 to MAX_THREADS (as OmnidecodePipeline's `threads`). */
  readonly threads?: number;
  /** Execution providers in order of preference (default cpu). */
  readonly executionProviders?: readonly ExecutionProviderChoice[];
  /** Whether intra-op threads spin between runs. */
  readonly allowSpinning?: boolean;
}

/** Most images one generateImage call decodes together. */
export const MAX_JANUS_IMAGES = 64;
export const DEFAULT_JANUS_TEXT_TOKENS = 32;
const DEFAULT_QUESTION = 'Describe this image.';

/** An image request, checked: its prompt, the image's token count and how many images. */
export interface JanusImagePlan {
  readonly prompt: JanusPrompt;
  readonly length: number;
  readonly count: number;
}

/** A text answer's request, checked: its prompt, the most new tokens, and what was done to its image. */
export interface JanusAnswerPlan {
  readonly prompt: JanusPrompt;
  readonly maxTokens: number;
  readonly notices: readonly string[];
}

/**
 * A Janus folder's configuration, tokenizer and chat templates, without its graphs: every request's
 * prompt is built and checked here (the words, the room the positions leave, maxTokens, count), so
 * a caller can refuse a bad request before the graphs load (JanusPipeline.load takes this object).
 */
export class JanusPrompts {
  private constructor(
    readonly options: JanusPipelineOptions,
    readonly folder: JanusModelFolder,
    readonly chat: JanusChat,
    readonly ids: JanusIdSpace,
  ) {}

  static async open(options: JanusPipelineOptions): Promise<JanusPrompts> {
    const checked = checkJanusPipelineOptions(options);
    const folder = await openJanusModelFolder(checked.model);
    const chat = await JanusChat.load(folder, checked.unknownWords ?? 'reject');
    const ids = new JanusIdSpace({
      textVocabSize: folder.textVocabSize, codebookSize: folder.codebookSize, bosTokenId: folder.bosTokenId,
      eosTokenId: folder.eosTokenId, padTokenId: folder.padTokenId, grid: { height: folder.grid, width: folder.grid },
    });
    return new JanusPrompts(checked, folder, chat, ids);
  }

  /** Text -> image: `count` images (1 to MAX_JANUS_IMAGES) of the prompt; `steps` (a parallel scheduler's) at most the image's tokens. */
  image(prompt: string, count = 1, steps?: unknown): JanusImagePlan {
    if (!Number.isInteger(count) || count < 1 || count > MAX_JANUS_IMAGES) throw new InputError('count', count, `an integer from 1 to ${MAX_JANUS_IMAGES}`);
    const built = this.chat.generationPrompt(prompt);
    const length = this.folder.grid * this.folder.grid;
    this.checkRoom(built, length, 'the image');
    if (typeof steps === 'number' && steps > length) {
      throw new InputError('steps', steps, `at most ${length} (the image's token count: a step past it commits nothing)`);
    }
    return { prompt: built, length, count };
  }

  /** A question about `image` (RGB; a gray one is converted with a notice); default question "Describe this image.". */
  describe(image: GrayImage, question = DEFAULT_QUESTION, maxTokens?: number): JanusAnswerPlan {
    const pixels = janusPixelValues(image, this.folder.preprocessing);
    return this.answer(this.chat.understandingPrompt(question, pixels.input), maxTokens, pixels.notices);
  }

  /** The model's answer to `prompt` (its chat template, no image). */
  complete(prompt: string, maxTokens?: number): JanusAnswerPlan {
    return this.answer(this.chat.textPrompt(prompt), maxTokens, []);
  }

  private answer(built: JanusPrompt, maxTokens: number | undefined, notices: readonly string[]): JanusAnswerPlan {
    // A prompt that fills the positions is the prompt's fault, not maxTokens' ("from 1 to 0").
    this.checkRoom(built, 1, 'the answer');
    const room = this.folder.maxPositions - built.ids.length;
    const most = maxTokens ?? Math.min(DEFAULT_JANUS_TEXT_TOKENS, room);
    if (!Number.isInteger(most) || most < 1 || most > room) {
      throw new InputError('maxTokens', most, `an integer from 1 to ${room} (${this.folder.maxPositions} positions - ${built.ids.length} prompt tokens)`);
    }
    return { prompt: built, maxTokens: most, notices };
  }

  private checkRoom(built: JanusPrompt, length: number, what: string): void {
    if (built.ids.length + length > this.folder.maxPositions) {
      throw new InputError('prompt', `${built.ids.length} tokens`, `at most ${this.folder.maxPositions - length} tokens (${this.folder.maxPositions} positions, ${length} for ${what})`);
    }
  }
}

/**
 * The shared options checked as OmnidecodePipeline checks them (a ConfigError naming the option), the
 * model required; `intraOpThreads` (SessionSettings' name, never JanusPipeline's documented one) is
 * refused naming `threads` rather than ignored.
 */
function checkJanusPipelineOptions(options: JanusPipelineOptions): JanusPipelineOptions {
  checkPipelineOptions(options);
  if (typeof options.model !== 'string') throw new ConfigError('model', options.model, 'a Janus-layout folder path (a non-empty string)');
  const { intraOpThreads } = options as { intraOpThreads?: unknown };
  if (intraOpThreads !== undefined) {
    throw new ConfigError('intraOpThreads', intraOpThreads, 'no intraOpThreads: the option is `threads`, as OmnidecodePipeline names it');
  }
  return options;
}
