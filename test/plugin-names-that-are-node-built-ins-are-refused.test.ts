import { describe, expect, it } from 'vitest';
import { createSchedulerContainer, loadPlugins } from 'omnidecode';

describe('a Node built-in module name is never loaded as a plugin', () => {
  it.each(['fs', 'node:fs', 'child_process', 'node:test'])('"%s" is refused, naming the shipped plugins instead', async (name) => {
    const { container, schedulers } = createSchedulerContainer();
    const [result] = await loadPlugins([name], container);
    expect(result?.ok).toBe(false);
    expect(result?.ok === false ? result.error.message : '').toContain(`"${name}" is a Node built-in module, not a plugin; shipped plugins: halton`);
    expect(schedulers.names()).toEqual(['autoregressive', 'maskgit']);
  });

  it('a name that is neither shipped nor installed says where it looked', async () => {
    const { container } = createSchedulerContainer();
    const [result] = await loadPlugins(['no-such-plugin-package'], container, '/tmp');
    expect(result?.ok === false ? result.error.message : '').toContain('no package "no-such-plugin-package" installed in node_modules above /tmp');
  });
});
