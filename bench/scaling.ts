import { statSync } from 'node:fs';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationResult } from '../src/core/generation-result.ts';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import type { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';
import { recordRun, type BenchContext } from './bench-context.ts';
import { RecomputeTransformer, TimedTransformer } from './no-cache-baselines.ts';
import { cachedSyntheticDecoder, syntheticVocabulary } from './synthetic-models.ts';
import { measureInterleaved, median, sum } from './timing.ts';
import {
  compareTokens, forwardOnce, forwardsByPosition, imageRequest, imageTokens, lastOverFirst, pct, promptWords, runRow, splitRuns, stepProfile,
} from './scaling-measures.ts';
import type {
  ArCacheGain, ForwardByPosition, GuidanceBatching, PrefixCacheGain, SamplerCost, ScalingReport, ScalingRun, StepProfile,
} from './scaling-report.ts';

export type { ScalingReport } from './scaling-report.ts';

/**
 * Scaling at Show-o size on synthetic decoders with seeded random weights: Show-o's grids (16x16 =
 * 256 and 32x32 = 1024 image tokens), its 8192-code codebook, a >= 32k text vocabulary, and two
 * depths/widths. Random weights make quality meaningless, but every FLOP and byte is real, so
 * forward passes and wall time are what a trained model of this shape costs.
 */

export interface ScalingModelSpec {
  readonly name: string;
  readonly hidden: number;
  readonly layers: number;
  readonly heads: number;
}

interface ScalingPlan {
  readonly textVocab: number;
  readonly codebook: number;
  readonly grids: readonly number[];
  readonly models: readonly ScalingModelSpec[];
  /** Words in the prompt: <|t2i|> <|bos|> words <|eos|> = words + 3 tokens, then <|soi|>. */
  readonly promptWords: number;
  readonly maskgitSteps: readonly number[];
  /** Wall time aimed at per measured setting; repetitions = target / estimated run, clamped. */
  readonly targetMs: number;
  readonly maxReps: number;
  /** The grid at which AR without a KV cache is measured (256 tokens in both plans). */
  readonly noCacheGrid: number;
  /** Skip AR without cache on a model when one run is estimated above this. */
  readonly noCacheLimitMs: number;
  /**
   * Wall time for the whole section. Model x grid combinations run smallest first; one whose
   * probe-based estimate would overrun the budget is skipped (and said so), never cut short.
   */
  readonly budgetMs: number;
  /** Rounds of the per-position forward timing (KV cache) and of the per-step prefix-cache pair. */
  readonly positionRounds: number;
}

const FULL_PLAN: ScalingPlan = {
  textVocab: 32000, codebook: 8192, grids: [16, 32],
  models: [{ name: 'S (hidden 256, 2 layers)', hidden: 256, layers: 2, heads: 4 }, { name: 'M (hidden 512, 4 layers)', hidden: 512, layers: 4, heads: 8 }],
  promptWords: 13, maskgitSteps: [16, 18, 50], targetMs: 5000, maxReps: 5, noCacheGrid: 16, noCacheLimitMs: 90_000, budgetMs: 540_000, positionRounds: 40,
};

const QUICK_PLAN: ScalingPlan = {
  textVocab: 1000, codebook: 512, grids: [8, 16],
  models: [{ name: 'tiny (hidden 64, 1 layer)', hidden: 64, layers: 1, heads: 2 }],
  promptWords: 13, maskgitSteps: [16, 18, 50], targetMs: 250, maxReps: 3, noCacheGrid: 16, noCacheLimitMs: 10_000, budgetMs: 30_000, positionRounds: 3,
};

/** The first (smallest) Show-o-size model of the plan, its vocabulary at the first grid, and a t2i-like request builder. */
export async function showOSizeSetup(quick: boolean, threads: number): Promise<{
  name: string; model: OnnxTransformer; vocabulary: UnifiedVocabulary; request: (scheduler: string, options: Record<string, unknown>) => GenerationRequest;
}> {
  const plan = quick ? QUICK_PLAN : FULL_PLAN;
  const spec = plan.models[0] as ScalingModelSpec;
  const grid = plan.grids[0] as number;
  const maxGrid = Math.max(...plan.grids);
  const maxPositions = plan.promptWords + 4 + maxGrid * maxGrid + 1;
  const vocabulary = syntheticVocabulary(plan.textVocab, plan.codebook, grid);
  const file = cachedSyntheticDecoder({
    vocabSize: vocabulary.vocabSize, hiddenSize: spec.hidden, numLayers: spec.layers, numHeads: spec.heads, maxPositions,
    seed: `scaling-${spec.name}`, maskStyle: 'omni-4d',
  });
  const model = await OnnxTransformer.load(file.path, { maxPositions, intraOpThreads: threads, requireOmniAttention: true });
  const words = promptWords(plan.promptWords, plan.textVocab);
  return { name: `synthetic ${spec.name}`, model, vocabulary, request: (scheduler, options) => imageRequest(vocabulary, words, scheduler, options) };
}

function parameterCount(spec: ScalingModelSpec, vocab: number, positions: number): number {
  const d = spec.hidden;
  return vocab * d * 2 + positions * d + spec.layers * (4 * d * d + 8 * d * d + 4 * d);
}

function clampReps(plan: ScalingPlan, estimateMs: number): number {
  return Math.max(1, Math.min(plan.maxReps, Math.floor(plan.targetMs / Math.max(1, estimateMs))));
}

export async function runScaling(context: BenchContext): Promise<ScalingReport> {
  const plan = context.quick ? QUICK_PLAN : FULL_PLAN;
  const { log } = context;
  const sectionStart = performance.now();
  const maxGrid = Math.max(...plan.grids);
  const promptTokens = plan.promptWords + 3;
  const prefix = promptTokens + 1; // + <|soi|>
  const maxPositions = prefix + maxGrid * maxGrid + 1;
  const vocabSize = syntheticVocabulary(plan.textVocab, plan.codebook, plan.grids[0] ?? 16).vocabSize;
  const words = promptWords(plan.promptWords, plan.textVocab);
  const notes: string[] = [];
  const models: (ScalingModelSpec & { parameters: number; fileMB: number; writeSeconds: number })[] = [];
  const probes: ScalingReport['probes'][number][] = [];
  const runs: ScalingRun[] = [];
  const stepProfiles: StepProfile[] = [];
  const forwardByPosition: ForwardByPosition[] = [];
  const samplerCosts: SamplerCost[] = [];
  const prefixCache: PrefixCacheGain[] = [];
  const guidanceBatching: GuidanceBatching[] = [];
  const arCache: ArCacheGain[] = [];

  // Every model loaded up front; grids outer, models inner, so each depth is measured at 256 tokens
  // before anything runs at 1024 (the budget skips the largest combinations first).
  const loaded: { spec: ScalingModelSpec; model: OnnxTransformer }[] = [];
  try {
    for (const spec of plan.models) {
      const decoder = { vocabSize, hiddenSize: spec.hidden, numLayers: spec.layers, numHeads: spec.heads, maxPositions, seed: `scaling-${spec.name}`, maskStyle: 'omni-4d' as const };
      const file = cachedSyntheticDecoder(decoder);
      const fileMB = Math.round(statSync(file.path).size / 2 ** 20);
      log(`scaling: ${spec.name}: ${file.written ? `wrote ${fileMB} MB in ${(file.writeMs / 1000).toFixed(1)} s` : `reusing ${file.path}`}`);
      models.push({ ...spec, parameters: parameterCount(spec, vocabSize, maxPositions), fileMB, writeSeconds: Math.round(file.writeMs / 100) / 10 });
      loaded.push({ spec, model: await OnnxTransformer.load(file.path, { maxPositions, intraOpThreads: context.threads, requireOmniAttention: true }) });
    }
    for (const grid of plan.grids) {
      for (const { spec, model } of loaded) {
        const tokens = grid * grid;
        const gridName = `${grid}x${grid}`;
        const vocabulary = syntheticVocabulary(plan.textVocab, plan.codebook, grid);
        const timed = new TimedTransformer(model);
        const recompute = new TimedTransformer(new RecomputeTransformer(model));
        const cached = createEngine({ model: timed, vocabulary }).engine;
        const uncached = createEngine({ model: recompute, vocabulary }).engine;

        // Probe (also the warm-up): prefill, one AR step, one image-block forward, one full forward.
        const prefill = await forwardOnce(model, 1, prefix, undefined, 0);
        const stepTimes: number[] = [];
        for (let i = 0; i < 3; i++) {
          const step = await forwardOnce(model, 1, 1, prefill.present, prefix);
          step.present.dispose();
          stepTimes.push(step.ms);
        }
        // Each shape twice: the first run of a shape pays one-off allocations; the faster one is the estimate.
        const blockTimes: number[] = [];
        const fullTimes: number[] = [];
        for (let i = 0; i < 2; i++) {
          const block = await forwardOnce(model, 1, tokens, prefill.present, prefix);
          block.present.dispose();
          blockTimes.push(block.ms);
        }
        prefill.present.dispose();
        for (let i = 0; i < 2; i++) {
          const full = await forwardOnce(model, 1, prefix + tokens, undefined, 0);
          full.present.dispose();
          fullTimes.push(full.ms);
        }
        const probe = { model: spec.name, grid: gridName, prefillMs: prefill.ms, stepMs: median(stepTimes), blockMs: Math.min(...blockTimes), fullMs: Math.min(...fullTimes) };
        probes.push(probe);
        log(`scaling: ${spec.name} ${gridName}: probe prefill ${probe.prefillMs.toFixed(0)} ms, AR step ${probe.stepMs.toFixed(1)} ms, block ${probe.blockMs.toFixed(0)} ms, full ${probe.fullMs.toFixed(0)} ms`);
        const where = `synthetic ${spec.name}`;
        const comboEstimate = estimateCombination(plan, probe, tokens, prefix, grid === plan.noCacheGrid);
        const spent = performance.now() - sectionStart;
        // The first (smallest) model at each grid always runs, so every grid, 1024 tokens and T = 50
        // included, is measured at least once; larger models are skipped when over budget.
        if (spec !== loaded[0]?.spec && spent + comboEstimate > plan.budgetMs) {
          const skipped = `${spec.name} ${gridName} skipped: its runs were estimated at ${(comboEstimate / 1000).toFixed(0)} s from the probe, ` +
            `and ${(spent / 1000).toFixed(0)} s of the section's ${(plan.budgetMs / 1000).toFixed(0)} s budget were spent.`;
          notes.push(skipped);
          log(`scaling: ${skipped}`);
          continue;
        }

        // AR with the KV cache; at 256 tokens interleaved with AR without it (recompute every token).
        const arRequest = imageRequest(vocabulary, words, 'autoregressive', {});
        const arEstimate = probe.prefillMs + tokens * probe.stepMs * 1.3;
        const noCacheEstimate = tokens * probe.fullMs * ((prefix + tokens / 2) / (prefix + tokens));
        const withNoCache = grid === plan.noCacheGrid && noCacheEstimate <= plan.noCacheLimitMs;
        if (grid === plan.noCacheGrid && !withNoCache) {
          notes.push(`AR without KV cache skipped on ${spec.name} ${gridName}: one run estimated at ${(noCacheEstimate / 1000).toFixed(0)} s (limit ${plan.noCacheLimitMs / 1000} s).`);
        }
        timed.records = [];
        recompute.records = [];
        const arResults: GenerationResult[] = [];
        const noCacheResults: GenerationResult[] = [];
        const arTasks = [{ name: 'AR, KV cache', run: async () => { arResults.push(await cached.generate(arRequest, { seed: 0, stream: 'scaling' })); } }];
        if (withNoCache) arTasks.push({ name: 'AR, no KV cache', run: async () => { noCacheResults.push(await uncached.generate(arRequest, { seed: 0, stream: 'scaling' })); } });
        const arReps = withNoCache ? Math.max(1, Math.min(2, clampReps(plan, arEstimate + noCacheEstimate))) : clampReps(plan, arEstimate);
        const [arWall, noCacheWall] = await measureInterleaved(arTasks, arReps);
        if (arWall === undefined) throw new Error('no AR samples');
        for (const r of arResults) recordRun(context, where, 'autoregressive', r.stats);
        runs.push(runRow(spec.name, gridName, tokens, 'autoregressive (KV cache)', arWall, arResults));
        const cachedProfile = stepProfile(splitRuns(timed.records), tokens, prefix);
        stepProfiles.push({ model: spec.name, grid: gridName, variant: 'KV cache', points: cachedProfile, lastOverFirst: lastOverFirst(cachedProfile) });
        log(`scaling: ${spec.name} ${gridName}: AR ${arWall.medianMs.toFixed(0)} ms/image (${arReps} runs)`);
        if (noCacheWall !== undefined) {
          for (const r of noCacheResults) recordRun(context, `${where} (no cache)`, 'autoregressive', r.stats);
          const same = compareTokens(imageTokens(arResults[0] as GenerationResult), imageTokens(noCacheResults[0] as GenerationResult));
          runs.push(runRow(spec.name, gridName, tokens, 'autoregressive, no KV cache (recompute)', noCacheWall, noCacheResults, same));
          const profile = stepProfile(splitRuns(recompute.records), tokens, prefix);
          stepProfiles.push({ model: spec.name, grid: gridName, variant: 'no KV cache', points: profile, lastOverFirst: lastOverFirst(profile) });
          arCache.push({
            model: spec.name, grid: gridName, generatedTokens: tokens, cachedMs: arWall.medianMs, noCacheMs: noCacheWall.medianMs,
            speedup: noCacheWall.medianMs / arWall.medianMs, identical: same,
          });
          log(`scaling: ${spec.name} ${gridName}: AR without cache ${noCacheWall.medianMs.toFixed(0)} ms/image`);
        }

        // AR forward time against position, round-robin over positions so every position sees the same load.
        const positions = [0, Math.floor(tokens / 4), Math.floor(tokens / 2), Math.floor((3 * tokens) / 4), tokens - 1];
        forwardByPosition.push(await forwardsByPosition(model, spec.name, gridName, prefix, positions, plan.positionRounds, 'cached'));
        if (withNoCache) {
          const rounds = Math.max(2, Math.min(plan.positionRounds, Math.floor(plan.targetMs / Math.max(1, probe.fullMs * 3))));
          forwardByPosition.push(await forwardsByPosition(model, spec.name, gridName, prefix, positions, rounds, 'recompute'));
        }

        // MaskGIT at T = 16, 18, 50 (no guidance: CFG batching is measured on its own below). The first
        // T is interleaved with the same T re-feeding the whole sequence every step (no prefix cache).
        for (const [index, steps] of plan.maskgitSteps.entries()) {
          const request = imageRequest(vocabulary, words, 'maskgit', { steps });
          const estimate = probe.prefillMs + steps * probe.blockMs * 1.1;
          const recomputeEstimate = steps * probe.fullMs;
          const withBaseline = index === 0;
          const reps = withBaseline ? clampReps(plan, estimate + recomputeEstimate) : clampReps(plan, estimate);
          timed.records = [];
          const cachedRuns: GenerationResult[] = [];
          const recomputeRuns: GenerationResult[] = [];
          const tasks = [{ name: `maskgit T=${steps}`, run: async () => { cachedRuns.push(await cached.generate(request, { seed: 0, stream: 'scaling' })); } }];
          if (withBaseline) tasks.push({ name: `maskgit T=${steps} no prefix cache`, run: async () => { recomputeRuns.push(await uncached.generate(request, { seed: 0, stream: 'scaling' })); } });
          const [withCache, withoutCache] = await measureInterleaved(tasks, reps);
          if (withCache === undefined) throw new Error('no maskgit samples');
          for (const r of cachedRuns) recordRun(context, where, 'maskgit', r.stats);
          runs.push(runRow(spec.name, gridName, tokens, `maskgit T=${steps}`, withCache, cachedRuns));
          log(`scaling: ${spec.name} ${gridName}: maskgit T=${steps} ${withCache.medianMs.toFixed(0)} ms/image (${reps} runs)`);
          const samplerPerStep = median(cachedRuns.map((r) => r.stats.schedulerMs / steps));
          const blockForwards = timed.records.filter((record) => record.past > 0).map((record) => record.ms);
          samplerCosts.push({
            model: spec.name, grid: gridName, logits: `${tokens} x ${plan.codebook}`, steps,
            samplerMsPerStep: samplerPerStep, forwardMsPerStep: median(blockForwards), share: samplerPerStep / median(blockForwards),
          });
          if (withoutCache !== undefined) {
            for (const r of recomputeRuns) recordRun(context, `${where} (no prefix cache)`, 'maskgit', r.stats);
            const same = compareTokens(imageTokens(cachedRuns[0] as GenerationResult), imageTokens(recomputeRuns[0] as GenerationResult));
            runs.push(runRow(spec.name, gridName, tokens, `maskgit T=${steps}, no prefix cache (re-fed every step)`, withoutCache, recomputeRuns, same));
            const stepRounds = Math.max(3, Math.min(plan.positionRounds, Math.floor(plan.targetMs / Math.max(1, probe.blockMs + probe.fullMs))));
            const pastForBlock = await forwardOnce(model, 1, prefix, undefined, 0);
            const [blockForward, fullForward] = await measureInterleaved([
              { name: 'image block after cached prefix', run: async () => { (await forwardOnce(model, 1, tokens, pastForBlock.present, prefix)).present.dispose(); } },
              { name: 'whole sequence re-fed', run: async () => { (await forwardOnce(model, 1, prefix + tokens, undefined, 0)).present.dispose(); } },
            ], stepRounds);
            pastForBlock.present.dispose();
            if (blockForward === undefined || fullForward === undefined) throw new Error('no prefix-cache forward samples');
            prefixCache.push({
              model: spec.name, grid: gridName, promptTokens: prefix, sequenceTokens: prefix + tokens, promptShare: prefix / (prefix + tokens),
              cachedMs: withCache.medianMs, recomputeMs: withoutCache.medianMs, cut: 1 - withCache.medianMs / withoutCache.medianMs,
              spread: withCache.samples < 2 ? Number.NaN : Math.max(withCache.sdMs / withCache.medianMs, withoutCache.sdMs / withoutCache.medianMs),
              samples: withCache.samples, blockForward, fullForward, forwardCut: 1 - blockForward.medianMs / fullForward.medianMs,
            });
            log(`scaling: ${spec.name} ${gridName}: maskgit T=${steps} without prefix cache ${withoutCache.medianMs.toFixed(0)} ms/image`);
            const forwardCut = 1 - blockForward.medianMs / fullForward.medianMs;
            if (forwardCut > 2 * (prefix / (prefix + tokens))) {
              notes.push(`${spec.name} ${gridName}: the ${tokens}-token image block after the cached prefix took ${pct(forwardCut)} less time than the ` +
                `whole-sequence forward (${prefix + tokens} tokens, no past), which computes only ${pct(prefix / (prefix + tokens))} more tokens: ` +
                'ONNX Runtime runs the no-past forward slower per token on this machine, so part of the gain is that, not the prompt FLOPs.');
            }
          }
        }

        // CFG: one [2, N] block forward after a batch-2 prefix vs two [1, N] forwards after batch-1 prefixes.
        const past2 = await forwardOnce(model, 2, prefix, undefined, 0);
        const past1 = await forwardOnce(model, 1, prefix, undefined, 0);
        const cfgReps = Math.max(3, clampReps(plan, 3 * probe.blockMs));
        const [batched, separate] = await measureInterleaved([
          { name: 'cfg batched [2,L]', run: async () => { (await forwardOnce(model, 2, tokens, past2.present, prefix)).present.dispose(); } },
          { name: 'cfg separate 2x[1,L]', run: async () => {
            (await forwardOnce(model, 1, tokens, past1.present, prefix)).present.dispose();
            (await forwardOnce(model, 1, tokens, past1.present, prefix)).present.dispose();
          } },
        ], cfgReps);
        past2.present.dispose();
        past1.present.dispose();
        if (batched !== undefined && separate !== undefined) {
          guidanceBatching.push({ model: spec.name, grid: gridName, batchedMs: batched, separateMs: separate, speedup: separate.medianMs / batched.medianMs });
        }
      }
    }
  } finally {
    for (const { model } of loaded) await model.dispose();
  }
  return {
    plan: { textVocab: plan.textVocab, codebook: plan.codebook, vocabSize, promptTokens: prefix, models },
    probes, runs, stepProfiles, forwardByPosition, samplerCosts, prefixCache, guidanceBatching, arCache, notes,
  };
}

/** Wall time one model x grid combination is expected to take, from its probe (1 repetition each). */
function estimateCombination(plan: ScalingPlan, probe: { prefillMs: number; stepMs: number; blockMs: number; fullMs: number }, tokens: number, prefix: number, withNoCache: boolean): number {
  const ar = probe.prefillMs + tokens * probe.stepMs * 1.3;
  const noCache = withNoCache ? Math.min(plan.noCacheLimitMs, tokens * probe.fullMs * ((prefix + tokens / 2) / (prefix + tokens))) : 0;
  const maskgit = sum(plan.maskgitSteps.map((steps) => probe.prefillMs + steps * probe.blockMs * 1.2));
  const prefixBaseline = (plan.maskgitSteps[0] ?? 16) * probe.fullMs;
  const guidance = 3 * 4 * probe.blockMs;
  const byPosition = probe.fullMs + plan.positionRounds * 5 * probe.stepMs * 1.5 + (withNoCache ? 2 * 5 * probe.fullMs * 0.6 : 0);
  const prefixSteps = 3 * (probe.blockMs + probe.fullMs);
  return ar + noCache + maskgit + prefixBaseline + guidance + byPosition + prefixSteps;
}

