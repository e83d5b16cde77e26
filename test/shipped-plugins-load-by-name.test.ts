import { describe, expect, it } from 'vitest';
import { createSchedulerContainer, loadPluginsOrThrow } from 'omnidecode';
import { SHIPPED_PLUGINS } from '../src/node/shipped-plugins.ts';
import { createNodeSchedulerContainer } from '../src/node/node-scheduler-container.ts';

describe('the shipped plugins load by bare name', () => {
  it.each(Object.entries(SHIPPED_PLUGINS))('"%s" registers exactly the schedulers the table says', async (name, schedulers) => {
    const { container } = createSchedulerContainer();
    const [result] = await loadPluginsOrThrow([name], container, '/nonexistent-folder');
    expect(result).toMatchObject({ ok: true, plugin: `${name} (shipped)` });
    expect(result?.ok === true ? result.schedulers : []).toEqual(schedulers);
  });

  it('an unknown scheduler that a shipped plugin provides says which plugin to load', () => {
    const { schedulers } = createNodeSchedulerContainer();
    expect(() => schedulers.get('margin')).toThrow(
      'unknown scheduler "margin"; registered schedulers: autoregressive, maskgit; "margin" comes with the plugin confidence-selection: load it with --plugin confidence-selection',
    );
    expect(() => schedulers.get('no-such')).toThrow(/^unknown scheduler "no-such"; registered schedulers: autoregressive, maskgit$/);
  });
});
