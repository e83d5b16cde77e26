import { describe, expect, it } from 'vitest';
import { importsOf, readSource, typeScriptFilesUnder } from './support/source-imports.ts';

/**
 * The ONNX backend is the one place that knows onnxruntime: under src/, only files in
 * src/backends/onnx/ import it. Everything else reaches models through the TransformerBackend
 * contract (src/core/transformer-backend.ts) the container hands out.
 */

const BACKEND_FOLDER = 'src/backends/onnx/';

function onnxruntimeImports(file: string): string[] {
  return importsOf(readSource(file))
    .filter(({ specifier }) => specifier === 'onnxruntime-node' || specifier.startsWith('onnxruntime-'))
    .map(({ specifier, line }) => `${file}:${line} imports "${specifier}"`);
}

describe('only the ONNX backend files import onnxruntime', () => {
  const files = typeScriptFilesUnder('src');

  it('no file under src/ outside src/backends/onnx/ imports onnxruntime', () => {
    expect(files.filter((file) => !file.startsWith(BACKEND_FOLDER)).flatMap(onnxruntimeImports)).toEqual([]);
  });

  it('the backend folder does (the check above looks at real imports)', () => {
    expect(files.filter((file) => file.startsWith(BACKEND_FOLDER)).flatMap(onnxruntimeImports).length).toBeGreaterThan(0);
  });
});
