import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../src/core/errors.ts';
import { createEngine } from '../src/omnidecode-container.ts';
import type { GenerationRequest } from '../src/core/request.ts';
import { uniformModel } from './support/fake-models.ts';
import { T, t2iRequest, textRequest, testVocabulary } from './support/show-o-layout.ts';

async function rejects(request: GenerationRequest | GenerationRequest[], message: string, maxPositions?: number): Promise<void> {
  const model = uniformModel(T.vocabSize, maxPositions);
  const { engine } = createEngine({ model, vocabulary: testVocabulary() });
  const error = await engine.generate(request).then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(InvalidRequestError);
  expect((error as Error).message).toBe(message);
  expect(model.forwards).toHaveLength(0);
}

describe('requests the engine cannot run are rejected before any forward, naming the problem', () => {
  it('a prompt longer than the model\'s positions', async () => {
    // 7 prompt tokens + 9 image tokens + <|eoi|> = 17 positions.
    await rejects(t2iRequest(), 'sequence length: got 17, expected at most 16 positions (the model\'s limit); shorten the prompt or the generated segments', 16);
    const { engine } = createEngine({ model: uniformModel(T.vocabSize, 17), vocabulary: testVocabulary() });
    await expect(engine.generate(t2iRequest({ options: { steps: 1 } }))).resolves.toBeDefined();
  });

  it('token ids outside the vocabulary', async () => {
    await rejects({ segments: [{ type: 'tokens', ids: [T.bos, 48] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 2 }] },
      'requests[0].segments[0].ids[1]: got 48, expected a token id in [0, 47]');
    await rejects({ segments: [{ type: 'tokens', ids: [-1] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 2 }] },
      'requests[0].segments[0].ids[0]: got -1, expected a token id in [0, 47]');
    await rejects({ segments: [{ type: 'tokens', ids: [T.bos, 2.5] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 2 }] },
      'requests[0].segments[0].ids[1]: got 2.5, expected a token id in [0, 47]');
  });

  it('image codes outside the codebook, given or known', async () => {
    await rejects({ segments: [{ type: 'tokens', ids: [T.mmu, T.soi] }, { type: 'image', codes: [0, 16] }, { type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 2 }] },
      'requests[0].segments[1].codes[1]: got 16, expected an image code in [0, 15]');
    await rejects(t2iRequest({ known: [0, 1, 2, 3, -1, -1, -1, 99, -1] }),
      'requests[0].segments[1].known[7]: got 99, expected -1 or an image code in [0, 15]');
    await rejects(t2iRequest({ known: [0, 1] }),
      'requests[0].segments[1].known: got "2 entries", expected 9 entries (one per position, -1 for unknown)');
  });

  it('an unconditional row with a bad id is named as such', async () => {
    const request = t2iRequest({ unconditional: true, options: { guidance: 1 } });
    await rejects({ ...request, unconditional: [{ type: 'tokens', ids: [T.pad, T.pad, T.t2i, T.bos, T.eos, 60, T.soi] }, ...(request.unconditional ?? []).slice(1)] },
      'requests[0].unconditional.segments[0].ids[5]: got 60, expected a token id in [0, 47]');
  });

  it('guidance without an unconditional layout', async () => {
    await rejects(t2iRequest({ options: { guidance: 2 } }),
      'requests[0].unconditional: got undefined, expected an unconditional segment list (classifier-free guidance needs one; set guidance 0 to decode without)');
  });

  it('an autoregressive segment with nothing before it, or a generate length below 1', async () => {
    await rejects({ segments: [{ type: 'generate', modality: 'text', scheduler: 'autoregressive', length: 3 }] },
      'segments[0]: got "generate at position 0", expected at least one given token before an autoregressive segment (e.g. <|bos|> or <|soi|>)');
    await rejects(textRequest([3], 0), 'segments[1].length: got 0, expected an integer >= 1');
    await rejects([], 'requests: got [], expected at least one request');
  });
});
