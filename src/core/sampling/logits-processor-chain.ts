import type { LogitsProcessor, ProcessorContext } from './logits-processor.ts';

/** Runs processors in order over the same slice; itself a processor, so chains nest. */
export class LogitsProcessorChain implements LogitsProcessor {
  readonly name = 'chain';
  readonly processors: readonly LogitsProcessor[];

  constructor(processors: readonly LogitsProcessor[] = []) {
    this.processors = [...processors];
  }

  get length(): number {
    return this.processors.length;
  }

  process(logits: Float32Array, offset: number, count: number, context: ProcessorContext): void {
    for (const processor of this.processors) processor.process(logits, offset, count, context);
  }
}
