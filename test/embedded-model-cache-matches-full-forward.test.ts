import { describe, expect, it } from 'vitest';
import { OnnxTransformer } from '../src/backends/onnx/onnx-transformer.ts';
import { writeAttentionMask, type AttentionLayout } from '../src/core/omni-attention-mask.ts';
import { openModelFolder } from '../src/pipeline/model-folder.ts';
import { textToImagePrompt } from '../src/pipeline/text-to-image-request.ts';
import { TextTokenizer } from '../src/tokenizers/text-tokenizer.ts';
import { toVocabularyLayout } from '../src/tokenizers/model-config.ts';
import { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';

describe('the shipped transformer.onnx', () => {
  it('gives the same logits decoding incrementally with the KV cache as in one full forward (≤ 1e-4)', async () => {
    const folder = await openModelFolder();
    const { config } = folder;
    const model = await OnnxTransformer.load(folder.file(config.transformer.file), {
      maxPositions: config.transformer.maxPositions, numHeads: config.transformer.numHeads, headDim: config.transformer.headDim, intraOpThreads: 1,
    });
    const vocabulary = new UnifiedVocabulary(toVocabularyLayout(config));
    const tokenizer = await TextTokenizer.load(folder.file('tokenizer.json'));
    // A raster-AR text->image row: padded prompt, <|soi|>, some image codes (causal).
    const ids = [...textToImagePrompt(tokenizer.encode('a dark ankle boot'), vocabulary, config.prompts), vocabulary.special('<|soi|>')];
    for (let i = 0; i < 20; i++) ids.push(vocabulary.codeToId((i * 37) % vocabulary.imageCodebookSize));
    const length = ids.length;
    const layout: AttentionLayout = {
      length, blocks: new Int32Array(length).fill(-1), pad: Uint8Array.from(ids, (id) => (id === vocabulary.padTokenId ? 1 : 0)),
    };
    const forward = async (start: number, end: number, past?: Awaited<ReturnType<typeof model.forward>>['present']) => {
      const attentionMask = new Uint8Array((end - start) * end);
      writeAttentionMask(layout, start, end, attentionMask, 0);
      return model.forward({
        inputIds: Int32Array.from(ids.slice(start, end)), positionIds: Int32Array.from({ length: end - start }, (_, i) => start + i),
        attentionMask, batch: 1, length: end - start, ...(past ? { past } : {}),
      });
    };
    const full = await forward(0, length);
    const vocab = full.vocabSize;
    const prefix = config.prompts.t2iPromptLength + 1;
    let step = await forward(0, prefix);
    let maxDiff = 0;
    for (let position = prefix; position < length; position++) {
      const next = await forward(position, position + 1, step.present);
      step.present.dispose();
      for (let v = 0; v < vocab; v++) {
        maxDiff = Math.max(maxDiff, Math.abs((next.logits[v] as number) - (full.logits[position * vocab + v] as number)));
      }
      step = next;
    }
    step.present.dispose();
    full.present.dispose();
    await model.dispose();
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });
});
