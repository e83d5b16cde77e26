import { FakeTransformer, STRONG } from './fake-models.ts';
import { T } from './show-o-layout.ts';

/**
 * A model that "decides" to open images: each row follows the script its marker word (prompt
 * position `markerAt`) selects. At a causal position p it favours the script's token at p + 1; at a
 * position inside a scripted image (fed as a bidirectional block) it favours nothing, so the image's
 * codes come from the seeded draws. Unscripted rows (the guidance twin sees padding) get flat logits.
 */
export function scriptedStreamModel(scripts: ReadonlyMap<number, readonly number[]>, promptLength: number, markerAt: number, maxPositions = 128): FakeTransformer {
  return new FakeTransformer({
    vocabSize: T.vocabSize, maxPositions,
    fill: (query, out) => {
      const marker = query.position >= markerAt ? (query.pastIds[markerAt] ?? query.inputIds[markerAt - query.pastIds.length]) : undefined;
      const script = marker === undefined ? undefined : scripts.get(marker);
      if (script === undefined) return;
      const at = query.position - promptLength;
      const input = query.inputIds[query.index] as number;
      const inImage = at >= 0 && isImageToken(script[at]) && (input === T.mask || isImageToken(input));
      if (inImage) return;
      const next = script[at + 1] ?? T.eos;
      out[next] = STRONG;
    },
  });
}

export function isImageToken(id: number | undefined): boolean {
  return id !== undefined && id >= T.imageOffset && id < T.imageOffset + T.codebook;
}

/** A scripted image: the 9 positions of the test grid (any code: the script only marks where the image is). */
export const IMAGE = Array.from({ length: T.gridTokens }, () => T.imageOffset);
