import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ModelFolder } from '../pipeline/model-folder.ts';

/**
 * The files that decide a job's result: config.json, the tokenizer and every ONNX graph the config
 * names (transformer, VQ encoder and decoder, the evaluation classifier), relative to the folder.
 */
export function hashedModelFiles(folder: ModelFolder): string[] {
  const { config } = folder;
  const classifier = config.classifier === undefined ? [] : [config.classifier.file];
  return [...new Set(['config.json', 'tokenizer.json', config.transformer.file, config.vq.encoder, config.vq.decoder, ...classifier])].sort();
}

const cache = new Map<string, Promise<string>>();

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * sha256 (hex) over the model's files: each file's name and its content's sha256, in name order.
 * A worker whose model differs in any of them gets a different hash and refuses the sweep's jobs.
 * Each file is read once per process (cached by path, size and modification time).
 */
export async function modelHash(folder: ModelFolder): Promise<string> {
  const files = hashedModelFiles(folder);
  const lines: string[] = [];
  for (const relative of files) {
    const path = folder.file(relative);
    const info = await stat(path);
    const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}`;
    let digest = cache.get(key);
    if (digest === undefined) {
      digest = fileDigest(path);
      cache.set(key, digest);
      digest.catch(() => cache.delete(key));
    }
    lines.push(`${relative}\u0000${await digest}`);
  }
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
