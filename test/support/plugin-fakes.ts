import { fileURLToPath } from 'node:url';
import {
  UnifiedVocabulary, createEngine, createSchedulerContainer, loadPluginsOrThrow,
  type ForwardInput, type ForwardOutput, type GenerationRequest, type GenerationResult, type KeyValueCache, type Segment, type StepEvent,
  type Transformer, type VocabularyLayout,
} from 'omnidecode';

/**
 * Small fakes for the plugin tests, built on the public API only (what a plugin author sees).
 * Layout: text ids 0..19 (<|bos|> 1, <|eos|> 2, words 3..19), specials 20..30 (<|pad|> 20,
 * <|soi|> 21, <|eoi|> 22, <|t2i|> 25), image codes 0..15 as ids 31..46, [MASK] 47, a 3×3 grid.
 */
export const P = {
  bos: 1, eos: 2, word: 3, pad: 20, soi: 21, eoi: 22, t2i: 25,
  imageOffset: 31, codebook: 16, mask: 47, vocabSize: 48, textVocabSize: 20,
} as const;

const LAYOUT: VocabularyLayout = {
  textVocabSize: 20,
  specialTokens: ['<|pad|>', '<|soi|>', '<|eoi|>', '<|sov|>', '<|eov|>', '<|t2i|>', '<|mmu|>', '<|t2v|>', '<|v2v|>', '<|lvg|>', '<|edit|>'],
  imageCodebookSize: 16,
  imageTokenOffset: 31,
  maskTokenId: 47,
  vocabSize: 48,
  bosTokenId: 1,
  eosTokenId: 2,
  imageGrid: { height: 3, width: 3 },
};

export function pluginVocabulary(): UnifiedVocabulary {
  return new UnifiedVocabulary(LAYOUT);
}

/** The folder of one of the repository's plugins, absolute. */
export function pluginPath(name: string): string {
  return fileURLToPath(new URL(`../../plugins/${name}`, import.meta.url));
}

/** What the fake is asked for one output position. */
export interface LogitsQuery {
  /** Absolute position. */
  readonly position: number;
  /** Every id of this row up to and including this forward (past + current). */
  readonly ids: readonly number[];
  /** True when the row holds the conditioning word (P.word); its empty-prompt twin does not. */
  readonly conditional: boolean;
}

class RowsCache implements KeyValueCache {
  constructor(readonly batch: number, readonly length: number, readonly rowIds: readonly (readonly number[])[]) {}
  dispose(): void {}
}

/** A Transformer whose logits at each position are whatever `fill` writes (zeros elsewhere). */
export class LogitsModel implements Transformer {
  readonly info = { vocabSize: P.vocabSize, maxPositions: 256, numLayers: 1, supportsOmniAttention: true };
  forwards = 0;

  constructor(private readonly fill: (query: LogitsQuery, out: Float32Array) => void) {}

  async forward(input: ForwardInput): Promise<ForwardOutput> {
    const past = input.past as RowsCache | undefined;
    const pastLength = past?.length ?? 0;
    const logits = new Float32Array(input.batch * input.length * P.vocabSize);
    const rowIds: number[][] = [];
    for (let row = 0; row < input.batch; row++) {
      const ids = [...(past?.rowIds[row] ?? []), ...input.inputIds.subarray(row * input.length, (row + 1) * input.length)];
      rowIds.push(ids);
      const conditional = ids.includes(P.word);
      for (let index = 0; index < input.length; index++) {
        const at = (row * input.length + index) * P.vocabSize;
        this.fill({ position: pastLength + index, ids, conditional }, logits.subarray(at, at + P.vocabSize));
      }
    }
    this.forwards += 1;
    return { logits, vocabSize: P.vocabSize, present: new RowsCache(input.batch, pastLength + input.length, rowIds) };
  }

  async dispose(): Promise<void> {}
}

/** The prompt before the image: `<|t2i|> <|bos|> word <|eos|> <|soi|>` (5 tokens); images start at 5. */
export const IMAGE_START = 5;

/**
 * Image positions favour code `target[i]` with logit `strength(i)` (0 elsewhere). Unconditional rows
 * (no P.word) get `unconditionalStrength(i)` for the same code.
 */
export function targetImageModel(
  target: readonly number[], strength: (i: number) => number = () => 30, unconditionalStrength: (i: number) => number = strength,
): LogitsModel {
  return new LogitsModel((query, out) => {
    const i = query.position - IMAGE_START;
    const code = target[i];
    if (code !== undefined) out[P.imageOffset + code] = query.conditional ? strength(i) : unconditionalStrength(i);
  });
}

export interface ImageRequest {
  readonly scheduler: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly known?: readonly number[];
  readonly length?: number;
  /** Add the empty-prompt twin for classifier-free guidance. */
  readonly unconditional?: boolean;
}

/** Text -> image request: the 5-token prompt, a 3×3 image to generate, then <|eoi|>. */
export function imageRequest(request: ImageRequest): GenerationRequest {
  const generate: Segment = {
    type: 'generate', modality: 'image', scheduler: request.scheduler, length: request.length ?? 9,
    ...(request.options ? { options: request.options } : {}),
    ...(request.known ? { known: request.known } : {}),
  };
  const segments: Segment[] = [{ type: 'tokens', ids: [P.t2i, P.bos, P.word, P.eos, P.soi] }, generate, { type: 'tokens', ids: [P.eoi] }];
  if (!request.unconditional) return { segments };
  return { segments, unconditional: [{ type: 'tokens', ids: [P.pad, P.t2i, P.bos, P.eos, P.soi] }, generate, { type: 'tokens', ids: [P.eoi] }] };
}

/** `<|bos|> word` then a text segment of `length` tokens for `scheduler`; text starts at position 2. */
export function textRequest(scheduler: string, length: number, options: Readonly<Record<string, unknown>> = {}): GenerationRequest {
  return {
    segments: [
      { type: 'tokens', ids: [P.bos, P.word] },
      { type: 'generate', modality: 'text', scheduler, length, options },
    ],
  };
}

export const TEXT_START = 2;

/** A container with the built-ins and the named repository plugins loaded. */
export async function withPlugins(...names: string[]): Promise<ReturnType<typeof createSchedulerContainer>> {
  const parts = createSchedulerContainer();
  await loadPluginsOrThrow(names.map(pluginPath), parts.container);
  return parts;
}

/** Decodes `request` with `model` and returns the result and every step event. */
export async function decode(
  parts: ReturnType<typeof createSchedulerContainer>, model: Transformer, request: GenerationRequest | readonly GenerationRequest[], seed = 0,
): Promise<{ result: GenerationResult; events: StepEvent[] }> {
  const { engine } = createEngine({ model, vocabulary: pluginVocabulary(), container: parts.container });
  const events: StepEvent[] = [];
  const result = await engine.generate(request, { seed, onStep: (event) => events.push(event) });
  return { result, events };
}

/** The generated segment's tokens (segment 1) of a result row, as plain numbers. */
export function segmentTokens(result: GenerationResult, row = 0): number[] {
  return Array.from(result.rows[row]?.segments[1]?.tokens ?? []);
}

/** Codes (id − image offset) from image token ids. */
export function codes(ids: readonly number[]): number[] {
  return ids.map((id) => id - P.imageOffset);
}
