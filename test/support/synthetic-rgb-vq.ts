import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OnnxNodeBackend } from '../../src/backends/onnx/onnx-node-backend.ts';
import { buildSyntheticVqDecoder, buildSyntheticVqEncoder, type SyntheticVqSpec } from '../../src/synthetic/synthetic-vq.ts';
import { ImageTokenizer } from '../../src/tokenizers/image-tokenizer.ts';

/** Show-o's grid and codebook on 32x32 RGB images, as the synthetic Show-o folder has them. */
export const RGB_VQ: SyntheticVqSpec = { imageSize: 32, channels: 3, grid: { height: 16, width: 16 }, codebookSize: 8192, seed: 5 };

/** An ImageTokenizer over freshly written synthetic VQ graphs; `warnings` collects its notices. */
export async function syntheticRgbTokenizer(warnings: string[] = []): Promise<ImageTokenizer> {
  const dir = mkdtempSync(join(tmpdir(), 'omni-vq-'));
  buildSyntheticVqEncoder(RGB_VQ).writeFile(join(dir, 'vq-encoder.onnx'));
  buildSyntheticVqDecoder(RGB_VQ).writeFile(join(dir, 'vq-decoder.onnx'));
  const backend = new OnnxNodeBackend();
  const encoder = await backend.loadGraph(join(dir, 'vq-encoder.onnx'), { expectedInputs: ['pixels'], expectedOutputs: ['codes'] });
  const decoder = await backend.loadGraph(join(dir, 'vq-decoder.onnx'), { expectedInputs: ['codes'], expectedOutputs: ['pixels'] });
  rmSync(dir, { recursive: true, force: true });
  return new ImageTokenizer(encoder, decoder, {
    imageSize: RGB_VQ.imageSize, grid: RGB_VQ.grid, codebookSize: RGB_VQ.codebookSize, channels: 3, onWarning: (message) => warnings.push(message),
  });
}
