import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidRequestError } from '../src/core/errors.ts';
import { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';
import { SHOW_O_LAYOUT, SHOW_O_SPECIALS, showOVocabulary, T, testVocabulary } from './support/show-o-layout.ts';

describe("unified vocabulary with Show-o's real layout", () => {
  const vocabulary = showOVocabulary();

  it('places the ten specials at 50295..50304 in Show-o\'s order', () => {
    const expected: [string, number][] = [
      ['[PAD]', 50295], ['<|soi|>', 50296], ['<|eoi|>', 50297], ['<|sov|>', 50298], ['<|eov|>', 50299],
      ['<|t2i|>', 50300], ['<|mmu|>', 50301], ['<|t2v|>', 50302], ['<|v2v|>', 50303], ['<|lvg|>', 50304],
    ];
    expect(SHOW_O_SPECIALS.map((name) => [name, vocabulary.special(name)])).toEqual(expected);
    for (const [name, id] of expected) {
      expect(vocabulary.specialName(id)).toBe(name);
      expect(vocabulary.isSpecialToken(id)).toBe(true);
    }
    expect(vocabulary.padTokenId).toBe(50295);
    expect(vocabulary.isSpecialToken(50294)).toBe(false);
    expect(vocabulary.isSpecialToken(50305)).toBe(false);
  });

  it('maps code c <-> c + 50305 both ways, with the mask at 58497 and 58498 ids in all', () => {
    for (const code of [0, 1, 4096, 8191]) {
      expect(vocabulary.codeToId(code)).toBe(code + 50305);
      expect(vocabulary.idToCode(code + 50305)).toBe(code);
    }
    expect(vocabulary.codeToId(8191)).toBe(58496);
    expect(vocabulary.maskTokenId).toBe(58497);
    expect(vocabulary.vocabSize).toBe(58498);
    expect(vocabulary.vocabSize).toBe(50295 + 10 + 8192 + 1);
    expect(vocabulary.imageTokenCount).toBe(256);
    expect(vocabulary.bosTokenId).toBe(50256);
    expect(vocabulary.eosTokenId).toBe(50256);
    expect(vocabulary.isImageToken(50304)).toBe(false);
    expect(vocabulary.isImageToken(50305)).toBe(true);
    expect(vocabulary.isImageToken(58496)).toBe(true);
    expect(vocabulary.isImageToken(58497)).toBe(false);
    expect(vocabulary.isTextToken(50294)).toBe(true);
    expect(vocabulary.isTextToken(50295)).toBe(false);
  });

  it('rejects out-of-range codes, ids and names, naming the problem', () => {
    expect(() => vocabulary.codeToId(8192)).toThrow(InvalidRequestError);
    expect(() => vocabulary.codeToId(8192)).toThrow('image code: got 8192, expected an integer in [0, 8191]');
    expect(() => vocabulary.codeToId(-1)).toThrow('got -1');
    expect(() => vocabulary.codeToId(1.5)).toThrow('got 1.5');
    expect(() => vocabulary.idToCode(50304)).toThrow('image token id: got 50304, expected an id in [50305, 58496]');
    expect(() => vocabulary.idToCode(58497)).toThrow(InvalidRequestError);
    expect(() => vocabulary.checkIds([1, 58497, 58498], 'prompt')).toThrow('prompt[2]: got 58498, expected a token id in [0, 58497]');
    expect(() => vocabulary.checkIds([-1], 'prompt')).toThrow('prompt[0]: got -1');
    expect(() => vocabulary.checkIds([0, 58497], 'prompt')).not.toThrow();
    expect(() => vocabulary.special('<|edit|>')).toThrow('special token: got "<|edit|>", expected one of: [PAD], <|soi|>');
  });

  it('rejects a layout whose parts overlap', () => {
    expect(() => new UnifiedVocabulary({ ...SHOW_O_LAYOUT, imageTokenOffset: 50300 })).toThrow(ConfigError);
    expect(() => new UnifiedVocabulary({ ...SHOW_O_LAYOUT, maskTokenId: 58000 })).toThrow('vocabulary.maskTokenId');
    expect(() => new UnifiedVocabulary({ ...SHOW_O_LAYOUT, eosTokenId: 58498 })).toThrow('vocabulary.eosTokenId');
  });

  it('the small test layout follows docs/model-format.md', () => {
    const small = testVocabulary();
    expect(small.special('<|pad|>')).toBe(T.pad);
    expect(small.special('<|edit|>')).toBe(T.edit);
    expect(small.codeToId(0)).toBe(T.imageOffset);
    expect(small.codeToId(15)).toBe(T.mask - 1);
    expect(small.maskTokenId).toBe(T.vocabSize - 1);
    expect(small.vocabSize).toBe(20 + 11 + 16 + 1);
  });
});
