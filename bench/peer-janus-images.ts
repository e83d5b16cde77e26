import { env, MultiModalityCausalLM, Tensor } from '@huggingface/transformers';
import { JanusIdSpace } from '../src/backends/onnx/janus/janus-id-space.ts';
import { JanusImageDecoder } from '../src/backends/onnx/janus/janus-image-decoder.ts';
import { JanusTransformer } from '../src/backends/onnx/janus/janus-transformer.ts';
import { ortSessionOptions } from '../src/backends/onnx/onnx-session.ts';
import type { GenerateSegment, GenerationRequest } from '../src/core/request.ts';
import type { SessionOptions } from '../src/core/transformer-backend.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { SMALL_JANUS_SPEC } from '../src/synthetic/janus/janus-folder.ts';
import { JANUS_UNDERSTANDING_TOKENS, janusSpecialIds, type SyntheticJanusSpec } from '../src/synthetic/janus/janus-spec.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import { cachedJanusFolder } from './synthetic-models.ts';
import { measureInterleaved, type TimingSummary } from './timing.ts';

/**
 * Janus-layout image generation side by side with transformers.js: the same synthetic six-graph
 * folder, the same prompt ids, greedy AR over the image grid with classifier-free guidance (Janus's
 * all-pad unconditional row), decoded to RGB by image_decode on both sides. Ours: JanusTransformer +
 * the engine's autoregressive scheduler + JanusImageDecoder; theirs: MultiModalityCausalLM's
 * generate_images. The same session options on both sides, timed in interleaved rounds.
 */

interface JanusPlan {
  readonly spec: SyntheticJanusSpec;
  readonly promptTokens: number;
  readonly guidance: number;
  readonly rounds: number;
}

const FULL_PLAN: JanusPlan = {
  spec: { textVocabSize: 8192, codebookSize: 4096, generationGrid: 16, patchSize: 4, hiddenSize: 256, numLayers: 4, numHeads: 4, maxPositions: 288, seed: 'janus-bench' },
  promptTokens: 16, guidance: 5, rounds: 6,
};
const QUICK_PLAN: JanusPlan = { spec: SMALL_JANUS_SPEC, promptTokens: 5, guidance: 5, rounds: 2 };

export interface JanusPeerSide {
  readonly name: string;
  readonly imageTokens: number;
  readonly wall: TimingSummary;
  readonly tokensPerSecond: number;
}

export interface JanusPeerReport {
  readonly model: { textVocab: number; codebook: number; grid: number; pixels: number; hidden: number; layers: number; heads: number; folder: string };
  readonly promptTokens: number;
  readonly guidance: number;
  readonly threads: number;
  readonly ours?: JanusPeerSide;
  readonly transformersJs?: JanusPeerSide;
  /** 'yes' when both gave the same codes and the same RGB bytes. */
  readonly identical?: string;
  readonly ratio?: number;
  /** Share of our wall inside the language model and head forwards (JanusTransformer.forward). */
  readonly ourForwardShare?: number;
  readonly error?: string;
}

function mismatch(what: string, a: ArrayLike<number>, b: ArrayLike<number>): string | undefined {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return `no: ${what} differ first at ${i} (ours ${a[i] ?? 'none'}, transformers.js ${b[i] ?? 'none'})`;
  return undefined;
}

export async function runPeerJanusImages(context: BenchContext): Promise<JanusPeerReport> {
  const plan = context.quick ? QUICK_PLAN : FULL_PLAN;
  const { spec } = plan;
  const folder = cachedJanusFolder(spec);
  context.log(`peer janus: ${folder.written ? 'wrote' : 'reusing'} ${folder.path}`);
  const special = janusSpecialIds(spec);
  const tokens = spec.generationGrid * spec.generationGrid;
  const prompt = [special.bos, ...Array.from({ length: plan.promptTokens - 2 }, (_, i) => 1 + ((i * 7919 + 3) % (special.bos - 1))), special.beginOfImage];
  const base = {
    model: {
      textVocab: spec.textVocabSize, codebook: spec.codebookSize, grid: spec.generationGrid, pixels: spec.generationGrid * spec.patchSize,
      hidden: spec.hiddenSize, layers: spec.numLayers, heads: spec.numHeads, folder: folder.path,
    },
    promptTokens: prompt.length, guidance: plan.guidance, threads: context.threads,
  };
  const session: SessionOptions = { intraOpThreads: context.threads };

  const ids = new JanusIdSpace({
    textVocabSize: spec.textVocabSize, codebookSize: spec.codebookSize, bosTokenId: special.bos, eosTokenId: special.eos, padTokenId: special.pad,
    grid: { height: spec.generationGrid, width: spec.generationGrid },
  });
  const model = await JanusTransformer.load(folder.path, { ...session, ids, maxPositions: spec.maxPositions });
  const decoder = await JanusImageDecoder.load(folder.path, session);
  const { engine } = createEngine({ model, vocabulary: ids.vocabulary });
  const generate: GenerateSegment = {
    type: 'generate', modality: 'image', scheduler: 'autoregressive', length: tokens,
    options: { sampler: { draw: 'greedy' }, guidance: plan.guidance, guidanceForm: 'standard' },
  };
  const request: GenerationRequest = {
    segments: [{ type: 'tokens', ids: prompt }, generate],
    unconditional: [{ type: 'tokens', ids: prompt.map(() => ids.enginePad) }, generate],
  };
  let ourCodes: number[] = [];
  let ourPixels: Uint8Array = new Uint8Array(0);
  let ourModelMs = 0;
  let ourWallMs = 0;
  const ours = async (): Promise<void> => {
    const started = performance.now();
    const result = await engine.generate(request, { seed: 0 });
    ourCodes = Array.from(result.rows[0]?.segments[1]?.tokens ?? [], (id) => ids.imageCode(id));
    ourPixels = (await decoder.decode(ourCodes)).rgb;
    ourModelMs += result.stats.modelMs;
    ourWallMs += performance.now() - started;
    recordRun(context, 'peer Janus-layout model (image generation)', 'autoregressive', result.stats);
  };

  let peer: MultiModalityCausalLM | undefined;
  try {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${folder.root}/`;
    peer = await MultiModalityCausalLM.from_pretrained(folder.name, {
      dtype: 'fp32', local_files_only: true, session_options: ortSessionOptions(session),
    }) as MultiModalityCausalLM;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await Promise.all([model.dispose(), decoder.dispose()]);
    context.log(`peer janus: transformers.js failed to load the folder: ${reason}`);
    return { ...base, error: `transformers.js could not load ${folder.path}: ${reason}` };
  }
  const loaded = peer;
  const dims = [1, prompt.length];
  const inputs = {
    input_ids: new Tensor('int64', BigInt64Array.from(prompt, (id) => BigInt(id)), dims),
    attention_mask: new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), dims),
    images_seq_mask: new Tensor('bool', new Uint8Array(prompt.length), dims),
    images_emb_mask: new Tensor('bool', new Uint8Array(0), [1, 0, JANUS_UNDERSTANDING_TOKENS]),
  };
  let theirCodes: number[] = [];
  let theirPixels: Uint8Array = new Uint8Array(0);
  const theirs = async (): Promise<void> => {
    const streamed: number[] = [];
    // generate_images keeps the ids to itself; a streamer sees each new one (one id per put at batch 1).
    const streamer = { put: (value: bigint[][]) => { if (value.length === 1 && value[0]?.length === 1) streamed.push(Number(value[0][0])); }, end: () => undefined };
    const images = await loaded.generate_images({
      ...inputs, min_new_tokens: tokens, max_new_tokens: tokens, do_sample: false, guidance_scale: plan.guidance, streamer,
    } as unknown as Parameters<MultiModalityCausalLM['generate_images']>[0]) as unknown as Array<{ data: Uint8Array }>;
    theirCodes = streamed.slice(-tokens);
    theirPixels = images[0]?.data ?? new Uint8Array(0);
  };

  try {
    // One untimed run each (warm-up and the identity check), then interleaved rounds.
    await ours();
    await theirs();
    ourModelMs = 0;
    ourWallMs = 0;
    const identical = mismatch('codes', ourCodes, theirCodes) ?? mismatch('RGB bytes', ourPixels, theirPixels) ?? 'yes';
    context.log(`peer janus: identical codes and pixels: ${identical}`);
    const [ourWall, theirWall] = await measureInterleaved([
      { name: 'omnidecode Janus AR image', run: ours },
      { name: 'transformers.js generate_images()', run: theirs },
    ], plan.rounds);
    if (ourWall === undefined || theirWall === undefined) throw new Error('interleaved measurement returned no samples');
    const side = (name: string, wall: TimingSummary): JanusPeerSide => ({ name, imageTokens: tokens, wall, tokensPerSecond: tokens / (wall.medianMs / 1000) });
    const oursSide = side('omnidecode (JanusTransformer + engine autoregressive greedy + JanusImageDecoder)', ourWall);
    const theirSide = side('transformers.js generate_images() (greedy)', theirWall);
    return {
      ...base, ours: oursSide, transformersJs: theirSide, identical,
      ratio: oursSide.tokensPerSecond / theirSide.tokensPerSecond, ourForwardShare: ourModelMs / ourWallMs,
    };
  } finally {
    await Promise.all([model.dispose(), decoder.dispose(), loaded.dispose()]);
  }
}
