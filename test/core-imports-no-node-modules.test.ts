import { describe, expect, it } from 'vitest';
import { importTarget, importsOf, isNodeBuiltin, nodeGlobalUses, readSource, typeScriptFilesUnder } from './support/source-imports.ts';

/**
 * The core runs anywhere (issue 10): nothing under src/core imports a Node built-in, reads files
 * through yaml, loads onnxruntime, touches `process`, or reaches into the layers built on it
 * (schedulers, tokenizers, pipeline, node, backends, cli, ...). Those layers hand it what it needs.
 */

const PACKAGES_REFUSED = ['yaml', 'onnxruntime-node', 'onnxruntime-web', 'onnxruntime-common'];

/** One line per offence: "src/core/x.ts:3 imports "node:fs" (a Node built-in)". */
function offences(file: string, text: string): string[] {
  const found: string[] = [];
  for (const { specifier, line } of importsOf(text)) {
    const where = `${file}:${line} imports "${specifier}"`;
    const target = importTarget(file, specifier);
    if (isNodeBuiltin(specifier)) found.push(`${where} (a Node built-in)`);
    else if (PACKAGES_REFUSED.some((name) => specifier === name || specifier.startsWith(`${name}/`))) found.push(`${where} (a runtime package the core must not load)`);
    else if (target !== undefined && !target.startsWith('src/core/')) found.push(`${where} (${target}, outside src/core)`);
  }
  for (const { name, line } of nodeGlobalUses(file, text)) found.push(`${file}:${line} uses ${name} (a Node global)`);
  return found;
}

describe('src/core imports no Node modules and no outer layer', () => {
  const files = typeScriptFilesUnder('src/core');

  it('every file under src/core imports only the core and runtime-neutral packages', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap((file) => offences(file, readSource(file)))).toEqual([]);
  });

  it('the check names the file, the line and the import of each offence', () => {
    const text = [
      "import { readFile } from 'node:fs/promises';",
      "import { join } from 'path';",
      "import { parse } from 'yaml';",
      "import * as ort from 'onnxruntime-node';",
      "import { maskgitDefinition } from '../schedulers/maskgit-scheduler.ts';",
      "import type { TextTokenizer } from '../tokenizers/text-tokenizer.ts';",
      "export { OmnidecodePipeline } from '../pipeline/omnidecode-pipeline.ts';",
      "const loader = () => import('../node/plugin-loader.ts');",
      "import { OnnxNodeBackend } from '../backends/onnx/onnx-node-backend.ts';",
      "import { ConfigError } from './errors.ts';",
      'const cwd = process.cwd();',
      '// process.env in a comment is prose, not a use',
    ].join('\n');
    expect(offences('src/core/example.ts', text)).toEqual([
      'src/core/example.ts:1 imports "node:fs/promises" (a Node built-in)',
      'src/core/example.ts:2 imports "path" (a Node built-in)',
      'src/core/example.ts:3 imports "yaml" (a runtime package the core must not load)',
      'src/core/example.ts:4 imports "onnxruntime-node" (a runtime package the core must not load)',
      'src/core/example.ts:5 imports "../schedulers/maskgit-scheduler.ts" (src/schedulers/maskgit-scheduler.ts, outside src/core)',
      'src/core/example.ts:6 imports "../tokenizers/text-tokenizer.ts" (src/tokenizers/text-tokenizer.ts, outside src/core)',
      'src/core/example.ts:7 imports "../pipeline/omnidecode-pipeline.ts" (src/pipeline/omnidecode-pipeline.ts, outside src/core)',
      'src/core/example.ts:8 imports "../node/plugin-loader.ts" (src/node/plugin-loader.ts, outside src/core)',
      'src/core/example.ts:9 imports "../backends/onnx/onnx-node-backend.ts" (src/backends/onnx/onnx-node-backend.ts, outside src/core)',
      'src/core/example.ts:11 uses process.cwd (a Node global)',
    ]);
  });
});
