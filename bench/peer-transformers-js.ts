import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { createEngine } from '../src/omnidecode-container.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { ortSessionOptions } from '../src/backends/onnx/onnx-session.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import { runPeerJanusImages, type JanusPeerReport } from './peer-janus-images.ts';
import { cachedHuggingFaceDecoder, syntheticVocabulary } from './synthetic-models.ts';
import { measureInterleaved, type TimingSummary } from './timing.ts';

/**
 * AR text decoding side by side with transformers.js: the same standard decoder ONNX file
 * (writeHuggingFaceDecoder: config.json + onnx/model.onnx), the same prompt ids, greedy, the same
 * onnxruntime session options (the ones our backend builds: threads, spinning, optimisation
 * level, providers), one warm-up each, timed in interleaved rounds within one run. Then the
 * Janus-layout image generation pair (peer-janus-images.ts).
 */

interface PeerPlan {
  readonly textVocab: number;
  readonly codebook: number;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
  readonly promptTokens: number;
  readonly maxNewTokens: number;
  readonly rounds: number;
}

const FULL_PLAN: PeerPlan = { textVocab: 32000, codebook: 8192, hidden: 256, layers: 4, heads: 4, promptTokens: 16, maxNewTokens: 64, rounds: 10 };
const QUICK_PLAN: PeerPlan = { textVocab: 1000, codebook: 512, hidden: 64, layers: 2, heads: 2, promptTokens: 16, maxNewTokens: 32, rounds: 2 };

export interface PeerSide {
  readonly name: string;
  readonly newTokens: number;
  readonly wall: TimingSummary;
  readonly tokensPerSecond: number;
}

export interface PeerReport {
  readonly model: { vocabSize: number; textVocab: number; hidden: number; layers: number; heads: number; file: string };
  readonly promptTokens: number;
  readonly maxNewTokens: number;
  readonly threads: number;
  readonly ours?: PeerSide;
  readonly transformersJs?: PeerSide;
  readonly identical?: string;
  /** ours tokens/s over transformers.js tokens/s. */
  readonly ratio?: number;
  /** Share of our wall time spent inside the ONNX forward (the part both sides run alike). */
  readonly ourForwardShare?: number;
  /** The same for transformers.js: time inside its decoder session's run() over its wall. */
  readonly theirForwardShare?: number;
  /** Janus-layout image generation against generate_images (absent in older results). */
  readonly janusImages?: JanusPeerReport;
  readonly error?: string;
  readonly notes: readonly string[];
}

function firstMismatch(a: readonly number[], b: readonly number[]): string {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) return `no: first mismatch at new token ${i} (ours ${a[i] ?? 'none'}, transformers.js ${b[i] ?? 'none'})`;
  }
  return 'yes';
}

export async function runPeer(context: BenchContext): Promise<PeerReport> {
  const plan = context.quick ? QUICK_PLAN : FULL_PLAN;
  const vocabulary = syntheticVocabulary(plan.textVocab, plan.codebook, 16);
  const vocabSize = vocabulary.vocabSize;
  const maxPositions = plan.promptTokens + plan.maxNewTokens + 8;
  const spec = { vocabSize, hiddenSize: plan.hidden, numLayers: plan.layers, numHeads: plan.heads, maxPositions, seed: 'peer', maskStyle: 'standard-2d' as const };
  const folder = cachedHuggingFaceDecoder(spec, { bosTokenId: vocabulary.bosTokenId, eosTokenId: vocabulary.eosTokenId, padTokenId: vocabulary.special('<|pad|>') });
  context.log(`peer: ${folder.written ? 'wrote' : 'reusing'} ${folder.path}`);
  const notes: string[] = [
    `Both sides stop at EOS (id 2) or after max new tokens, decode greedily, and run onnxruntime-node with the same session options (${context.threads} intra-op threads, ` +
      `spinning ${ortSessionOptions({}).extra?.['session.intra_op.allow_spinning'] === '1' ? 'on' : 'off'}, graph optimisation all, cpu provider): the ones our backend builds, passed to transformers.js as session_options.`,
    `Our text scheduler draws only from the ${plan.textVocab} text ids; transformers.js gets suppress_tokens for the ${vocabSize - plan.textVocab} non-text ids (specials, image codes, [MASK]) so both choose among the same ids.`,
  ];
  const prompt = [vocabulary.bosTokenId, ...Array.from({ length: plan.promptTokens - 1 }, (_, i) => 3 + ((i * 104729 + 11) % (plan.textVocab - 3)))];
  const base = {
    model: { vocabSize, textVocab: plan.textVocab, hidden: plan.hidden, layers: plan.layers, heads: plan.heads, file: folder.path },
    promptTokens: prompt.length, maxNewTokens: plan.maxNewTokens, threads: context.threads,
  };

  // Our side: OnnxTransformer on the same file, the engine with the autoregressive scheduler.
  const session = { intraOpThreads: context.threads };
  const model = await OnnxTransformer.load(folder.path, { ...session, maxPositions });
  const { engine } = createEngine({ model, vocabulary });
  const request: GenerationRequest = {
    segments: [
      { type: 'tokens', ids: prompt },
      { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: plan.maxNewTokens, options: { sampler: { draw: 'greedy' } } },
    ],
  };
  let ourTokens: number[] = [];
  let ourModelMs = 0;
  let ourWallMs = 0;
  const ours = async (): Promise<void> => {
    const result = await engine.generate(request, { seed: 0 });
    ourModelMs += result.stats.modelMs;
    ourWallMs += result.stats.wallMs;
    const segment = result.rows[0]?.segments[1];
    const phase = result.stats.phases[0];
    // Committed tokens: the output plus the EOS when it stopped on one.
    ourTokens = Array.from(segment?.tokens.subarray(0, phase?.steps ?? 0) ?? []);
    recordRun(context, 'peer model (standard 2D decoder)', 'autoregressive', result.stats);
  };

  // transformers.js on the same folder, local files only.
  let theirs: (() => Promise<void>) | undefined;
  let theirTokens: number[] = [];
  let peerModel: { dispose(): Promise<unknown> } | undefined;
  let theirModelMs = 0;
  let theirWallMs = 0;
  try {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${folder.root}/`;
    const loaded = await AutoModelForCausalLM.from_pretrained(folder.name, {
      dtype: 'fp32', local_files_only: true, session_options: ortSessionOptions(session),
    });
    peerModel = loaded;
    timeSessionRuns(loaded.sessions, 'model', (ms) => { theirModelMs += ms; });
    const suppress = Array.from({ length: vocabSize - plan.textVocab }, (_, i) => plan.textVocab + i);
    const inputIds = new Tensor('int64', BigInt64Array.from(prompt, (id) => BigInt(id)), [1, prompt.length]);
    const attentionMask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);
    theirs = async (): Promise<void> => {
      const started = performance.now();
      const output = await loaded.generate({
        inputs: inputIds, attention_mask: attentionMask, max_new_tokens: plan.maxNewTokens, do_sample: false,
        suppress_tokens: suppress, eos_token_id: vocabulary.eosTokenId, pad_token_id: vocabulary.special('<|pad|>'),
      });
      const sequences = 'sequences' in output ? output.sequences : output;
      if (!(sequences instanceof Tensor)) throw new Error('transformers.js generate() returned no sequences tensor');
      theirTokens = Array.from(sequences.data as BigInt64Array, (id) => Number(id)).slice(prompt.length);
      theirWallMs += performance.now() - started;
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await model.dispose();
    context.log(`peer: transformers.js failed to load the model: ${reason}`);
    return { ...base, error: `transformers.js could not load ${folder.path}: ${reason}`, notes };
  }

  let text: PeerReport;
  try {
    // Warm-up and the token check: one run each, same prompt.
    await ours();
    await theirs();
    ourModelMs = 0;
    ourWallMs = 0;
    theirModelMs = 0;
    theirWallMs = 0;
    const identical = firstMismatch(ourTokens, theirTokens);
    context.log(`peer: identical tokens: ${identical} (ours ${ourTokens.length}, transformers.js ${theirTokens.length} new tokens)`);
    const [ourWall, theirWall] = await measureInterleaved([
      { name: 'omnidecode engine', run: ours },
      { name: 'transformers.js generate()', run: theirs },
    ], plan.rounds);
    if (ourWall === undefined || theirWall === undefined) throw new Error('interleaved measurement returned no samples');
    const side = (name: string, tokens: number, wall: TimingSummary): PeerSide => ({ name, newTokens: tokens, wall, tokensPerSecond: tokens / (wall.medianMs / 1000) });
    const oursSide = side('omnidecode (OnnxTransformer + engine, autoregressive greedy)', ourTokens.length, ourWall);
    const theirSide = side('transformers.js generate() (greedy)', theirTokens.length, theirWall);
    text = {
      ...base, ours: oursSide, transformersJs: theirSide, identical, ratio: oursSide.tokensPerSecond / theirSide.tokensPerSecond,
      ourForwardShare: ourModelMs / ourWallMs, theirForwardShare: theirModelMs / theirWallMs, notes,
    };
  } finally {
    await model.dispose();
    await peerModel?.dispose();
  }
  return { ...text, janusImages: await runPeerJanusImages(context) };
}

/** Wraps one transformers.js session's run() to add up the time spent inside it (a timer either side, as our engine times its forwards). */
function timeSessionRuns(sessions: Record<string, unknown>, name: string, add: (ms: number) => void): void {
  const session = sessions[name] as { run: (...args: unknown[]) => Promise<unknown> } | undefined;
  if (session === undefined) throw new Error(`transformers.js has no "${name}" session to time (sessions: ${Object.keys(sessions).join(', ')})`);
  const run = session.run.bind(session);
  session.run = async (...args: unknown[]): Promise<unknown> => {
    const started = performance.now();
    try {
      return await run(...args);
    } finally {
      add(performance.now() - started);
    }
  };
}
