import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';
import { DEFAULT_MODEL_DIR } from '../src/pipeline/model-folder.ts';
import { showOConfig } from '../src/synthetic/show-o-config.ts';
import { parseModelConfig, toVocabularyLayout } from '../src/tokenizers/model-config.ts';
import { SHOW_O_LAYOUT } from './support/show-o-layout.ts';

const doc = readFileSync(new URL('../docs/model-format.md', import.meta.url), 'utf8');

/** The first ```json block after a heading. */
function jsonAfter(heading: string): unknown {
  const start = doc.indexOf(`### ${heading}\n`);
  if (start < 0) throw new Error(`docs/model-format.md has no heading "${heading}"`);
  const block = /```json\n([\s\S]*?)\n```/u.exec(doc.slice(start));
  if (block === null) throw new Error(`no json block after "${heading}"`);
  return JSON.parse(block[1] as string);
}

describe('docs/model-format.md: both complete config.json examples', () => {
  it('the embedded model\'s is models/default/config.json as shipped', () => {
    const shipped = JSON.parse(readFileSync(`${DEFAULT_MODEL_DIR}/config.json`, 'utf8')) as unknown;
    expect(jsonAfter('The embedded model (complete)')).toEqual(shipped);
  });

  it('Show-o\'s parses to Show-o\'s vocabulary, RGB images, no classifier, no editing and its MMU template', () => {
    const config = parseModelConfig(jsonAfter('Show-o\'s layout (complete)'), 'docs/model-format.md');
    const layout = toVocabularyLayout(config);
    for (const field of ['textVocabSize', 'specialTokens', 'imageCodebookSize', 'imageTokenOffset', 'maskTokenId', 'vocabSize',
      'bosTokenId', 'eosTokenId', 'padToken', 'imageGrid'] as const) {
      expect([field, layout[field]]).toEqual([field, SHOW_O_LAYOUT[field]]);
    }
    expect(layout.unkTokenId).toBeUndefined();
    const vocabulary = new UnifiedVocabulary(layout);
    expect([vocabulary.padTokenId, vocabulary.special('<|t2i|>'), vocabulary.special('<|mmu|>'), vocabulary.codeToId(0), vocabulary.maskTokenId])
      .toEqual([50295, 50300, 50301, 50305, 58497]);
    expect(config.vq.channels).toBe(3);
    expect(config.classifier).toBeUndefined();
    expect(config.prompts.editPromptLength).toBeUndefined();
    expect(config.prompts.t2iPromptLength).toBe(129);
    expect(config.prompts.templates).toEqual({ textToImage: '{prompt}', describe: 'USER: \n{question} ASSISTANT:', edit: '{instruction}' });
  });

  it('the synthetic Show-o folder writes the same config apart from its sizes', () => {
    const documented = jsonAfter('Show-o\'s layout (complete)') as Record<string, unknown>;
    const written = showOConfig({
      transformer: { numLayers: 1, numHeads: 2, headDim: 16, hiddenSize: 32, maxPositions: 512 }, vq: { imageSize: 32 },
    }) as Record<string, unknown>;
    for (const key of ['vocabulary', 'prompts', 'defaults']) expect([key, written[key]]).toEqual([key, documented[key]]);
    expect(Object.keys(written).sort()).toEqual(Object.keys(documented).sort());
  });
});
