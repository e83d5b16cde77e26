/**
 * Runs forwards one at a time, in call order: an ONNX session must not run two forwards of one
 * model at once (their caches would interleave). A failed forward does not block the next.
 */
export class ForwardQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every forward queued so far has settled. */
  async idle(): Promise<void> {
    await this.tail;
  }
}
