import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { encodePng } from '../src/tokenizers/png-image.ts';

describe('--max-pixels sets the largest input PNG the command reads', () => {
  afterEach(() => { vi.restoreAllMocks(); });
  it('describe --max-pixels 100 refuses a 28×28 PNG that the default limit reads, naming the flag', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'omni-max-pixels-')), 'small.png');
    writeFileSync(file, encodePng({ width: 28, height: 28, pixels: new Float32Array(784).fill(0.5) }));
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { err += String(chunk); return true; });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['node', 'omnidecode', 'describe', file, '--max-pixels', '100'])).toBe(1);
    expect(err).toContain('28×28 pixels is over the limit of 100 pixels (pass maxPixels (--max-pixels on the command line) to raise it)');
    expect(await main(['node', 'omnidecode', 'describe', file])).toBe(0);
    expect(await main(['node', 'omnidecode', 'describe', file, '--max-pixels', 'lots'])).toBe(1);
    expect(err).toContain('--max-pixels: got "lots", expected an integer from 1 to');
  });
});
