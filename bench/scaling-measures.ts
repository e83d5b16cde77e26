import type { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import type { GenerationResult } from '../src/core/generation-result.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import type { KeyValueCache } from '../src/core/transformer.ts';
import type { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';
import type { PromptLayout } from '../src/pipeline/prompt-layout.ts';
import { textToImageRequest } from '../src/pipeline/text-to-image-request.ts';
import type { ForwardRecord } from './no-cache-baselines.ts';
import type { ForwardByPosition, ScalingRun, StepProfilePoint } from './scaling-report.ts';
import { measureInterleaved, median, sum, type TimingSummary } from './timing.ts';

/** The scaling section's small measurements and helpers: requests, token comparisons, per-position forwards. */

/** Deterministic prompt words spread over the text vocabulary (ids 3.. are words). */
export function promptWords(count: number, textVocab: number): number[] {
  return Array.from({ length: count }, (_, i) => 3 + ((i * 7919 + 17) % (textVocab - 3)));
}

/** A t2i-like request: 16 prompt tokens, <|soi|>, the image, <|eoi|>. */
export function imageRequest(vocabulary: UnifiedVocabulary, words: readonly number[], scheduler: string, options: Record<string, unknown>): GenerationRequest {
  const layout: PromptLayout = { t2iPromptLength: words.length + 3, editPromptLength: words.length + 3, mmuQuestion: '' };
  return textToImageRequest(words, vocabulary, layout, { name: scheduler, options });
}

export function imageTokens(result: GenerationResult): Int32Array {
  return result.rows[0]?.segments[1]?.tokens ?? new Int32Array(0);
}

export function compareTokens(a: Int32Array, b: Int32Array): string {
  if (a.length !== b.length) return `no (lengths ${a.length} vs ${b.length})`;
  let differ = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) { differ += 1; if (first < 0) first = i; }
  }
  return differ === 0 ? 'yes' : `no (${differ} of ${a.length} differ, first at ${first})`;
}

export function runRow(model: string, grid: string, tokens: number, setting: string, summary: TimingSummary, results: readonly GenerationResult[], same?: string): ScalingRun {
  const wall = sum(results.map((r) => r.stats.wallMs));
  const modelTotal = sum(results.map((r) => r.stats.modelMs));
  return {
    model, grid, imageTokens: tokens, setting, forwardPasses: results[0]?.stats.forwardPasses ?? 0, wall: summary,
    modelMs: median(results.map((r) => r.stats.modelMs)), schedulerMs: median(results.map((r) => r.stats.schedulerMs)),
    engineOverhead: wall > 0 ? 1 - modelTotal / wall : Number.NaN,
    ...(same === undefined ? {} : { sameTokensAsCached: same }),
  };
}

/** Step profile of append-mode runs: records after the prefill are one per generated position. */
export function stepProfile(runs: readonly (readonly ForwardRecord[])[], tokens: number, prefix: number): StepProfilePoint[] {
  const window = Math.max(1, Math.min(8, Math.floor(tokens / 32)));
  const anchors = [1, Math.floor(tokens / 4), Math.floor(tokens / 2), Math.floor((3 * tokens) / 4), tokens - 2]
    .map((position) => Math.min(Math.max(position, window), tokens - 2 - window));
  const unique = [...new Set(anchors)];
  return unique.map((position) => {
    const forwards: number[] = [];
    const steps: number[] = [];
    for (const records of runs) {
      // Record k (k >= 1) feeds image position k - 1 after a past of prefix + k - 1.
      for (const [index, record] of records.entries()) {
        const fed = record.past - prefix;
        if (record.past === 0 || Math.abs(fed - position) > window) continue;
        forwards.push(record.ms);
        const next = records[index + 1];
        if (next !== undefined) steps.push(next.startedAt - record.startedAt);
      }
    }
    return { position, forwardMs: median(forwards), stepMs: median(steps) };
  });
}

export async function forwardOnce(model: OnnxTransformer, batch: number, length: number, past: KeyValueCache | undefined, start: number, maskFill = 1): Promise<{ ms: number; present: KeyValueCache }> {
  const total = (past?.length ?? 0) + length;
  const inputIds = new Int32Array(batch * length).fill(3);
  const positionIds = new Int32Array(batch * length);
  for (let b = 0; b < batch; b++) for (let i = 0; i < length; i++) positionIds[b * length + i] = start + i;
  const attentionMask = new Uint8Array(batch * length * total).fill(maskFill);
  const began = performance.now();
  const output = await model.forward({ inputIds, positionIds, attentionMask, batch, length, ...(past ? { past } : {}) });
  return { ms: performance.now() - began, present: output.present };
}

/**
 * Forward time at image positions p (past = prefix + p): with the KV cache one new token after a
 * cached past; without, one forward over all prefix + p + 1 tokens. Pasts are built incrementally
 * (one forward per gap), then every round times each position once.
 */
export async function forwardsByPosition(
  model: OnnxTransformer, name: string, grid: string, prefix: number, positions: readonly number[], rounds: number, variant: 'cached' | 'recompute',
): Promise<ForwardByPosition> {
  const pasts: KeyValueCache[] = [];
  try {
    const tasks = [];
    if (variant === 'cached') {
      let past: KeyValueCache | undefined;
      for (const position of positions) {
        const length = prefix + position - (past?.length ?? 0);
        if (length > 0) {
          const built = await forwardOnce(model, 1, length, past, past?.length ?? 0);
          past = built.present;
          pasts.push(built.present);
        }
        const at = past as KeyValueCache;
        tasks.push({ name: `AR step at ${position}`, run: async () => { (await forwardOnce(model, 1, 1, at, prefix + position)).present.dispose(); } });
      }
    } else {
      for (const position of positions) {
        tasks.push({ name: `full forward at ${position}`, run: async () => { (await forwardOnce(model, 1, prefix + position + 1, undefined, 0)).present.dispose(); } });
      }
    }
    const summaries = await measureInterleaved(tasks, rounds);
    const points = positions.map((position, index) => ({ position, wall: summaries[index] as TimingSummary }));
    const first = points[0]?.wall.medianMs ?? Number.NaN;
    const last = points[points.length - 1]?.wall.medianMs ?? Number.NaN;
    return {
      model: name, grid,
      variant: variant === 'cached' ? 'KV cache: 1 new token after a past of prefix + p' : 'no KV cache: one forward over all prefix + p + 1 tokens',
      points, lastOverFirst: last / first,
    };
  } finally {
    for (const past of pasts) past.dispose();
  }
}

export function pct(value: number): string {
  return `${(value * 100).toFixed(0)}%`;
}

/** Splits a flat forward log into runs: each run starts with a forward that has no past. */
export function splitRuns(records: readonly ForwardRecord[]): ForwardRecord[][] {
  const out: ForwardRecord[][] = [];
  for (const record of records) {
    if (record.past === 0) out.push([]);
    out[out.length - 1]?.push(record);
  }
  return out;
}

export function lastOverFirst(points: readonly StepProfilePoint[]): number {
  const first = points[0];
  const last = points[points.length - 1];
  return first !== undefined && last !== undefined ? last.stepMs / first.stepMs : Number.NaN;
}
