import * as ort from 'onnxruntime-node';
import { vi } from 'vitest';

type Results = ort.InferenceSession.OnnxValueMapType;
type Run = (this: ort.InferenceSession, feeds: ort.InferenceSession.FeedsType, ...rest: unknown[]) => Promise<Results>;

/**
 * Every InferenceSession's run goes through `onRun` (given the session, its feeds and its real
 * results; what it returns, or throws, is the run's) until the returned function restores it.
 * onnxruntime-node types InferenceSession as a factory; at runtime it is a class with `run` on its prototype.
 */
export function interceptSessionRuns(
  onRun: (session: ort.InferenceSession, feeds: Readonly<Record<string, ort.Tensor>>, results: Results) => Results | Promise<Results>,
): () => void {
  const prototype = (ort.InferenceSession as unknown as { prototype: { run: Run } }).prototype;
  const original = prototype.run;
  const spy = vi.spyOn(prototype, 'run').mockImplementation(async function (this: ort.InferenceSession, feeds, ...rest) {
    const fed = { ...(feeds as Record<string, ort.Tensor>) };
    return onRun(this, fed, await original.call(this, feeds, ...rest));
  });
  return () => spy.mockRestore();
}
