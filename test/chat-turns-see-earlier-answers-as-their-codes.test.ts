import { describe, expect, it } from 'vitest';
import type { GenerationResult, RowResult } from '../src/core/generation-result.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import { readChatAnswer } from '../src/pipeline/chat-answer.ts';
import { chatOpening, chatTurnRequest, contextIds, contextLength, userTurn, type ChatContextPiece } from '../src/pipeline/chat-request.ts';
import { FakeTransformer, STRONG } from './support/fake-models.ts';
import { T, testVocabulary } from './support/show-o-layout.ts';

const WORD = T.firstWord + 4;

/**
 * A chat-shaped fake: after a user's <|eos|> it opens an image, after <|eoi|> it says WORD, after WORD
 * it ends the answer. Image positions favour nothing (their codes come from the seeded draws).
 */
function chattyModel(): FakeTransformer {
  return new FakeTransformer({
    vocabSize: T.vocabSize, maxPositions: 64,
    fill: (query, out) => {
      const input = query.inputIds[query.index] as number;
      const next = input === T.eos ? T.soi : input === T.eoi ? WORD : input === WORD ? T.eos : undefined;
      if (next !== undefined) out[next] = STRONG;
    },
  });
}

function firstRow(result: GenerationResult): RowResult {
  const row = result.rows[0];
  if (row === undefined) throw new Error('no row');
  return row;
}

const settings = (length: number) => ({
  text: { name: 'autoregressive', options: { sampler: { draw: 'greedy' } } }, image: { name: 'maskgit', options: { steps: 3 } }, length, maxImages: 2,
});

describe('a chat turn is decoded after everything said so far', () => {
  it('the second turn sees the first answer: its image as the codes the model drew (a bidirectional block), its words and <|eos|>', async () => {
    const vocabulary = testVocabulary();
    const model = chattyModel();
    const { engine } = createEngine({ model, vocabulary });
    const context: ChatContextPiece[] = chatOpening(vocabulary, '<|lvg|>');
    context.push(userTurn(vocabulary, [T.firstWord]));
    const first = await engine.generate(chatTurnRequest(context, settings(30), 'turn-0'), { seed: 4 });
    const answer = readChatAnswer(firstRow(first), vocabulary);
    expect(answer.parts.map((part) => part.kind)).toEqual(['image', 'text']);
    const codes = answer.parts[0]?.kind === 'image' ? answer.parts[0].codes : new Int32Array();
    expect(codes).toHaveLength(T.gridTokens);
    expect(answer.parts[1]?.kind === 'text' ? Array.from(answer.parts[1].tokens) : []).toEqual([WORD]);
    expect(answer.limit).toBeUndefined();

    context.push(...answer.context, userTurn(vocabulary, [T.firstWord + 1]));
    const ids = Array.from(contextIds(context, vocabulary));
    const image = Array.from(codes, (code) => T.imageOffset + code);
    // <|lvg|> <|bos|> w <|eos|> <|soi|> codes <|eoi|> WORD <|eos|> <|bos|> w' <|eos|>
    expect(ids).toEqual([T.lvg, T.bos, T.firstWord, T.eos, T.soi, ...image, T.eoi, WORD, T.eos, T.bos, T.firstWord + 1, T.eos]);
    const request = chatTurnRequest(context, settings(64 - ids.length), 'turn-1');
    expect(request.segments.find((segment) => segment.type === 'image')).toEqual({ type: 'image', codes });

    const before = model.forwards.length;
    const second = await engine.generate(request, { seed: 4 });
    const prefill = model.forwards[before];
    if (prefill === undefined) throw new Error('no forward');
    // The whole context is fed once, with the earlier image's codes in place, seeing each other both ways.
    expect(Array.from(prefill.inputIds)).toEqual(ids);
    const width = prefill.pastLength + prefill.length;
    const firstCode = 5;
    const lastCode = firstCode + T.gridTokens - 1;
    expect(prefill.attentionMask[firstCode * width + lastCode]).toBe(1);
    const again = readChatAnswer(firstRow(second), vocabulary);
    expect(again.parts.map((part) => part.kind)).toEqual(['image', 'text']);
    expect(Array.from(firstRow(second).tokens).slice(ids.length, ids.length + 1)).toEqual([T.soi]);
    expect(contextLength(again.context)).toBe(1 + T.gridTokens + 1 + 2);
  });

  it('an answer cut short by its positions is closed with <|eos|> in the context and marked max tokens, nothing of the image kept', async () => {
    const vocabulary = testVocabulary();
    const { engine } = createEngine({ model: chattyModel(), vocabulary });
    const context = [...chatOpening(vocabulary, '<|lvg|>'), userTurn(vocabulary, [T.firstWord])];
    // Room for <|soi|> but not for the image and its <|eoi|>.
    const result = await engine.generate(chatTurnRequest(context, settings(5), 'turn-0'), { seed: 1 });
    const answer = readChatAnswer(firstRow(result), vocabulary);
    expect(answer.limit).toBe('max tokens');
    expect(answer.parts).toEqual([]);
    expect(answer.context).toEqual([{ kind: 'tokens', ids: [T.eos] }]);
  });

  it('a chat that starts from an image gives it as a block after <|lvg|>', () => {
    const vocabulary = testVocabulary();
    const source = Int32Array.from({ length: T.gridTokens }, (_, i) => i);
    const opening = chatOpening(vocabulary, '<|lvg|>', source);
    expect(Array.from(contextIds(opening, vocabulary))).toEqual([T.lvg, T.soi, ...Array.from(source, (code) => T.imageOffset + code), T.eoi]);
    const request = chatTurnRequest([...opening, userTurn(vocabulary, [T.firstWord])], settings(20), 'turn-0');
    expect(request.segments.map((segment) => segment.type)).toEqual(['tokens', 'image', 'tokens', 'tokens', 'generate']);
    expect(request.segments[1]).toEqual({ type: 'image', codes: source });
  });
});
