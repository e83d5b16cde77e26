import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';

describe('omnidecode schedulers', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it('lists autoregressive and maskgit with their parameters, defaults and source', async () => {
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { printed += String(chunk); return true; });
    const code = await main(['node', 'omnidecode', 'schedulers']);
    expect(code).toBe(0);
    expect(printed).toMatch(/^autoregressive {2}\[text, image\] {2}from built-in/m);
    expect(printed).toMatch(/^maskgit {2}\[image, text\] {2}from built-in/m);
    expect(printed).toMatch(/steps \(integer\) = 12 {2}— >= 1/);
    expect(printed).toMatch(/schedule \(custom\) = cosine/);
    expect(printed).toMatch(/guidanceForm \(enum\) = show-o/);
  });

  it('prints JSON with --json', async () => {
    let printed = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { printed += String(chunk); return true; });
    expect(await main(['node', 'omnidecode', 'schedulers', '--json'])).toBe(0);
    const list = JSON.parse(printed) as { name: string; parameters: { name: string; default: unknown }[] }[];
    const maskgit = list.find((item) => item.name === 'maskgit');
    expect(maskgit?.parameters.find((parameter) => parameter.name === 'steps')?.default).toBe(12);
  });

  it('reports a missing plugin with its path and exits non-zero', async () => {
    let errors = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { errors += String(chunk); return true; });
    expect(await main(['node', 'omnidecode', 'schedulers', '--plugin', './no/such/plugin'])).toBe(1);
    expect(errors).toContain('no/such/plugin');
    expect(errors).toContain('no such file');
  });
});
