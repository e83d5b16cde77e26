import { describe, expect, it } from 'vitest';
import { contextIds, userTurn, userTurnLength } from '../src/pipeline/chat-request.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';

const chat = { taskToken: '<|lvg|>', maxImages: 3, userTurnLength: 24, imageTurnLength: 6 };
const words = (n: number): number[] => Array.from({ length: n }, (_, i) => T.firstWord + i);

describe('the padding of a user turn (tools/omnitrain/chat_rows.py ChatRow.user)', () => {
  it('right after an image, a turn whose words fit is padded to imageTurnLength', () => {
    expect(userTurnLength(chat, words(4), true)).toBe(6);
    const ids = Array.from(contextIds([userTurn(testVocabulary(), words(3), 6)], testVocabulary()));
    expect(ids).toEqual([T.pad, T.bos, ...words(3), T.eos]);
  });

  it('after text, or when the words do not fit the short turn, it is padded to userTurnLength', () => {
    expect(userTurnLength(chat, words(4), false)).toBe(24);
    expect(userTurnLength(chat, words(5), true)).toBe(24);
  });

  it('a model without imageTurnLength pads every turn alike, and one without userTurnLength not at all', () => {
    expect(userTurnLength({ taskToken: '<|lvg|>', maxImages: 3, userTurnLength: 24 }, words(2), true)).toBe(24);
    expect(userTurnLength({ taskToken: '<|lvg|>', maxImages: 3 }, words(2), true)).toBeUndefined();
  });
});
