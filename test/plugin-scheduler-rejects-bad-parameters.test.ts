import { describe, expect, it } from 'vitest';
import { ConfigError, createEngine, type GenerationRequest } from 'omnidecode';
import { decode, imageRequest, pluginPath, pluginVocabulary, targetImageModel, textRequest, withPlugins } from './support/plugin-fakes.ts';

async function rejection(parts: Awaited<ReturnType<typeof withPlugins>>, request: GenerationRequest): Promise<ConfigError> {
  const { engine } = createEngine({ model: targetImageModel([0]), vocabulary: pluginVocabulary(), container: parts.container });
  const error = await engine.generate(request).then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('a plugin scheduler rejects bad parameters', () => {
  it('threshold 1.5: ConfigError naming the plugin, the field, the value and the valid range', async () => {
    const parts = await withPlugins('threshold');
    const error = await rejection(parts, imageRequest({ scheduler: 'threshold', options: { threshold: 1.5 } }));
    expect(error.what).toBe('segments[1].options.threshold');
    expect(error.got).toBe(1.5);
    expect(error.message).toBe(`segments[1].options.threshold: got 1.5, expected a number > 0 and <= 1 (scheduler "threshold" from plugin ${pluginPath('threshold')})`);
    expect(parts.schedulers.get('threshold').source).toBe(`${pluginPath('threshold')}`);
  });

  it('every shipped plugin checks its own fields', async () => {
    const parts = await withPlugins('halton', 'threshold', 'confidence-selection', 'text-diffusion');
    const cases: [GenerationRequest, string, unknown, string][] = [
      [imageRequest({ scheduler: 'halton', options: { steps: 0 } }), 'steps', 0, 'an integer >= 1'],
      [imageRequest({ scheduler: 'halton', options: { roll: 'yes' } }), 'roll', 'yes', 'true or false'],
      [imageRequest({ scheduler: 'threshold', options: { maxSteps: 2.5 } }), 'maxSteps', 2.5, 'an integer >= 1, or null'],
      [imageRequest({ scheduler: 'margin', options: { maskCount: 'some' } }), 'maskCount', 'some', 'one of: full, unknown'],
      [textRequest('text-diffusion', 4, { remasking: 'lowest' }), 'remasking', 'lowest', 'one of: low-confidence, random'],
      [textRequest('text-diffusion', 4, { blockLength: 0 }), 'blockLength', 0, 'an integer >= 1'],
    ];
    for (const [request, field, value, expected] of cases) {
      const error = await rejection(parts, request);
      expect(error.what).toBe(`segments[1].options.${field}`);
      expect(error.got).toBe(value);
      expect(error.expected).toBe(expected);
    }
  });

  it('schedule expressions are checked on load: "2 - t" leaves [0, 1]', async () => {
    const parts = await withPlugins('confidence-selection');
    const error = await rejection(parts, imageRequest({ scheduler: 'entropy', options: { schedule: '2 - t' } }));
    expect(error.what).toBe('segments[1].options.schedule');
    expect(error.message).toContain('"2 - t" gives 2 at t = 0, outside [0, 1]');
  });

  it('text-diffusion refuses steps and stepsPerBlock together', async () => {
    const parts = await withPlugins('text-diffusion');
    const error = await rejection(parts, textRequest('text-diffusion', 4, { steps: 4, stepsPerBlock: 2 }));
    expect(error.what).toBe('steps');
    expect(error.message).toBe(`steps: got 4, expected null when stepsPerBlock is set (give steps or stepsPerBlock, not both) (scheduler "text-diffusion" from plugin ${pluginPath('text-diffusion')})`);
  });

  it('unknown parameters name the valid ones', async () => {
    const parts = await withPlugins('threshold');
    const error = await rejection(parts, imageRequest({ scheduler: 'threshold', options: { tau: 0.8 } }));
    expect(error.message).toBe(`unknown parameter segments[1].options.tau; valid parameters: threshold, maxSteps, guidance, guidanceForm, sampler (scheduler "threshold" from plugin ${pluginPath('threshold')})`);
    // And valid options decode.
    expect((await decode(parts, targetImageModel([1, 2, 3, 4, 5, 6, 7, 8, 9]), imageRequest({ scheduler: 'threshold', options: { threshold: 0.5 } }))).events).toHaveLength(1);
  });
});
