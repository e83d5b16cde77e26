import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.ts';
import { answerPositions, checkChatBudget, imagesThatFit, type ChatBudget } from '../src/pipeline/chat-budget.ts';
import { thrown } from './support/thrown.ts';

// The embedded model's shape: 224 positions, an image takes <|soi|> 49 codes <|eoi|>.
const budget = (userPositions: number[], maxImages?: number, prefix = 1): ChatBudget => ({
  maxPositions: 224, imagePositions: 51, prefix, userPositions, maxImages,
});

describe('a chat shares the model positions between its turns', () => {
  it('each answer may use what the later turns leave: their user text and <|eos|>, plus their images when maxImages is fixed', () => {
    // <|lvg|> + <|bos|> 5 words <|eos|> = 8 positions of context before the first answer.
    expect(answerPositions(budget([7, 5]), 0, 8)).toBe(224 - 8 - (5 + 1));
    expect(answerPositions(budget([7, 5], 1), 0, 8)).toBe(224 - 8 - (5 + 1 + 51));
    expect(answerPositions(budget([7, 5], 1), 1, 100)).toBe(124);
    expect(imagesThatFit(52, 51)).toBe(1);
    expect(imagesThatFit(51, 51)).toBe(0);
  });

  it('refuses a fixed maxImages the positions cannot hold in every turn, giving the limit', () => {
    expect(() => checkChatBudget(budget([7], 4))).not.toThrow();
    const one = thrown(InputError, () => checkChatBudget(budget([7], 5)));
    expect(one.what).toBe('maxImages');
    expect(one.message).toMatch(/^maxImages: got 5, expected at most 4: at most 4 images fit in 224 positions after this context/);
    const two = thrown(InputError, () => checkChatBudget(budget([7, 5], 3)));
    expect(two.message).toMatch(/at most 2 images per turn fit in 224 positions/);
    const withImage = thrown(InputError, () => checkChatBudget(budget([7], 4, 52)));
    expect(withImage.message).toContain('at most 3 images fit');
  });

  it('refuses turns whose text alone does not fit', () => {
    const error = thrown(InputError, () => checkChatBudget(budget(new Array<number>(16).fill(14))));
    expect(error.what).toBe('turns');
    expect(error.message).toBe('the chat does not fit the model: <|lvg|>, 16 user turns and their answers\' <|eos|> take 241 positions; the model has 224; use fewer or shorter turns');
  });
});
