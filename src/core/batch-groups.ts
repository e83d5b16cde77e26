import type { GenerationRequest, Segment } from './request.ts';

function segmentKey(segment: Segment): string {
  switch (segment.type) {
    case 'tokens': return `tokens(${segment.ids.length}${segment.attention === 'bidirectional' ? ',bi' : ''})`;
    case 'image': return `image(${segment.codes.length})`;
    case 'generate': return `generate(${segment.modality},${segment.length},${segment.scheduler},${JSON.stringify(segment.options ?? {})})`;
  }
}

/** Requests that can share forwards: the same segment shapes, schedulers and options, and twins alike. */
export function layoutKey(request: GenerationRequest): string {
  return `${request.segments.map(segmentKey).join(' ')}|${request.unconditional === undefined ? '' : request.unconditional.map(segmentKey).join(' ')}`;
}

/** Indices of the batch grouped by layout, in order of first appearance (a uniform batch is one group). */
export function groupByLayout(batch: readonly GenerationRequest[]): number[][] {
  const groups = new Map<string, number[]>();
  batch.forEach((request, index) => {
    const key = layoutKey(request);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [index]); else group.push(index);
  });
  return [...groups.values()];
}

/** A request whose text may open images: decoded as its own growing stream. */
export function isStreamRequest(request: GenerationRequest): boolean {
  return request.segments.some((segment) => segment.type === 'generate' && segment.images !== undefined);
}
