import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { checkSchedulers } from '../src/core/config/omnidecode-config.ts';
import { readConfigFile } from '../src/node/config-file.ts';
import { createNodeSchedulerContainer } from '../src/node/node-scheduler-container.ts';
import { loadPluginsOrThrow } from '../src/node/plugin-loader.ts';

const examples = fileURLToPath(new URL('../examples', import.meta.url));
// Sweep files (sweep.yaml, *.sweep.yaml) are another format: example-sweep-file-plans-its-jobs.test.ts checks them.
const files = readdirSync(examples).filter((name) => /\.(ya?ml|json)$/.test(name) && !/(^|\.)sweep\.(ya?ml|json)$/.test(name));

describe('the configs in examples/', () => {
  afterEach(() => { vi.restoreAllMocks(); });

  it.each(files)('%s parses, loads its plugins and names valid schedulers', async (name) => {
    const config = await readConfigFile(join(examples, name));
    const { container, schedulers } = createNodeSchedulerContainer();
    await loadPluginsOrThrow(config.plugins, container, config.baseDir);
    expect(() => checkSchedulers(config, schedulers)).not.toThrow();
    if (config.task !== null && 'image' in config.task && config.task.image !== null) expect(existsSync(config.task.image)).toBe(true);
  });

  it('run examples/outpaint-left.yaml writes its image (-o elsewhere)', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const output = join(mkdtempSync(join(tmpdir(), 'omni-example-')), 'wider.png');
    expect(await main(['node', 'omnidecode', 'run', join(examples, 'outpaint-left.yaml'), '-o', output])).toBe(0);
    expect(existsSync(output)).toBe(true);
  });
});
