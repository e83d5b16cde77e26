import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { TextTokenizer } from '../src/tokenizers/text-tokenizer.ts';

const FIXTURE = fileURLToPath(new URL('./fixtures/word-level-tokenizer.json', import.meta.url));

describe('TextTokenizer round trip', () => {
  it('loads tokenizer.json from disk with the documented ids', async () => {
    const tokenizer = await TextTokenizer.load(FIXTURE);
    expect(tokenizer.vocabSize).toBe(29);
    expect(tokenizer.tokenId('[UNK]')).toBe(0);
    expect(tokenizer.tokenId('<|bos|>')).toBe(1);
    expect(tokenizer.tokenId('<|eos|>')).toBe(2);
    expect(tokenizer.tokenId('darker')).toBe(28);
    expect(tokenizer.tokenId('zebra')).toBeUndefined();
  });

  it('encodes without bos/eos and decodes back to the same words', async () => {
    const tokenizer = await TextTokenizer.load(FIXTURE);
    const ids = tokenizer.encode('what is this ?');
    expect(ids).toEqual([22, 23, 24, 25]);
    // No clean-up: " ?" stays a separate word, so the text re-encodes to the same ids.
    expect(tokenizer.decode(ids)).toBe('what is this ?');
    expect(tokenizer.encode(tokenizer.decode(ids))).toEqual(ids);
    expect(tokenizer.encode('  a   photo\tof\na ankle boot ')).toEqual([3, 5, 6, 3, 20, 21]);
  });

  it('skips bos/eos when decoding but shows [UNK]', async () => {
    const tokenizer = await TextTokenizer.load(FIXTURE);
    expect(tokenizer.decode([1, 3, 15, 2])).toBe('a coat');
    expect(tokenizer.decode([3, 0, 2])).toBe('a [UNK]');
    expect(tokenizer.decode([1, 2])).toBe('');
  });

  it('maps empty text to no ids (unconditional generation) and no ids to empty text', async () => {
    const tokenizer = await TextTokenizer.load(FIXTURE);
    expect(tokenizer.encode('')).toEqual([]);
    expect(tokenizer.encode('   ')).toEqual([]);
    expect(tokenizer.decode([])).toBe('');
  });

  it('rejects ids outside the text vocabulary when decoding', async () => {
    const tokenizer = await TextTokenizer.load(FIXTURE);
    expect(() => tokenizer.decode([3, 29])).toThrow(InputError);
    expect(() => tokenizer.decode([3, 29])).toThrow('text ids[1]: got 29, expected a text token id in [0, 28]');
  });

  it('encodes a subword (BPE + Metaspace) tokenizer through the library as a whole text', () => {
    const tokenizer = TextTokenizer.fromJson({
      added_tokens: [{ id: 0, content: '<unk>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
      normalizer: null,
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
      decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
      post_processor: null,
      model: {
        type: 'BPE', unk_token: '<unk>', merges: ['\u2581 a', '\u2581a b'],
        vocab: { '<unk>': 0, '\u2581': 1, a: 2, b: 3, '\u2581a': 4, '\u2581ab': 5, c: 6 },
      },
    });
    const ids = tokenizer.encode('ab ab a c');
    expect(ids).toEqual([5, 5, 4, 1, 6]);
    expect(tokenizer.decode(ids)).toBe('ab ab a c');
    expect(() => tokenizer.encode('ab x')).toThrow(/unknown word "x"/);
    expect(tokenizer.encode('ab x', { unknownWords: 'unk' })).toEqual([5, 1, 0]);
  });
});
