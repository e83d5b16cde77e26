import { AutoModelForCausalLM, env, Tensor } from '@huggingface/transformers';
import { createEngine } from '../src/omnidecode-container.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import { cachedHuggingFaceDecoder, syntheticVocabulary } from './synthetic-models.ts';
import { measureInterleaved, type TimingSummary } from './timing.ts';

/**
 * AR text decoding side by side with transformers.js: the same standard decoder ONNX file
 * (writeHuggingFaceDecoder: config.json + onnx/model.onnx), the same prompt ids, greedy, the same
 * intra-op thread count, timed in interleaved rounds within one run.
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
    'Both sides stop at EOS (id 2) or after max new tokens, decode greedily, and run onnxruntime-node with the same intra-op thread count.',
    `Our text scheduler draws only from the ${plan.textVocab} text ids; transformers.js gets suppress_tokens for the ${vocabSize - plan.textVocab} non-text ids (specials, image codes, [MASK]) so both choose among the same ids.`,
  ];
  const prompt = [vocabulary.bosTokenId, ...Array.from({ length: plan.promptTokens - 1 }, (_, i) => 3 + ((i * 104729 + 11) % (plan.textVocab - 3)))];
  const base = {
    model: { vocabSize, textVocab: plan.textVocab, hidden: plan.hidden, layers: plan.layers, heads: plan.heads, file: folder.path },
    promptTokens: prompt.length, maxNewTokens: plan.maxNewTokens, threads: context.threads,
  };

  // Our side: OnnxTransformer on the same file, the engine with the autoregressive scheduler.
  const model = await OnnxTransformer.load(folder.path, { maxPositions, intraOpThreads: context.threads });
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
  try {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${folder.root}/`;
    const loaded = await AutoModelForCausalLM.from_pretrained(folder.name, {
      dtype: 'fp32', local_files_only: true, session_options: { intraOpNumThreads: context.threads },
    });
    peerModel = loaded;
    const suppress = Array.from({ length: vocabSize - plan.textVocab }, (_, i) => plan.textVocab + i);
    const inputIds = new Tensor('int64', BigInt64Array.from(prompt, (id) => BigInt(id)), [1, prompt.length]);
    const attentionMask = new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]);
    theirs = async (): Promise<void> => {
      const output = await loaded.generate({
        inputs: inputIds, attention_mask: attentionMask, max_new_tokens: plan.maxNewTokens, do_sample: false,
        suppress_tokens: suppress, eos_token_id: vocabulary.eosTokenId, pad_token_id: vocabulary.special('<|pad|>'),
      });
      const sequences = 'sequences' in output ? output.sequences : output;
      if (!(sequences instanceof Tensor)) throw new Error('transformers.js generate() returned no sequences tensor');
      theirTokens = Array.from(sequences.data as BigInt64Array, (id) => Number(id)).slice(prompt.length);
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await model.dispose();
    context.log(`peer: transformers.js failed to load the model: ${reason}`);
    return { ...base, error: `transformers.js could not load ${folder.path}: ${reason}`, notes };
  }

  try {
    // Warm-up and the token check: one run each, same prompt.
    await ours();
    await theirs();
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
    return {
      ...base, ours: oursSide, transformersJs: theirSide, identical, ratio: oursSide.tokensPerSecond / theirSide.tokensPerSecond,
      ourForwardShare: ourModelMs / ourWallMs, notes,
    };
  } finally {
    await model.dispose();
    await peerModel?.dispose();
  }
}
