import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeHuggingFaceDecoder, writeSyntheticDecoder, type SyntheticDecoderSpec } from '../src/synthetic/synthetic-decoder.ts';
import { writeSyntheticJanusFolder } from '../src/synthetic/janus/janus-folder.ts';
import type { SyntheticJanusSpec } from '../src/synthetic/janus/janus-spec.ts';
import { UnifiedVocabulary } from '../src/core/unified-vocabulary.ts';
import type { VocabularyLayout } from '../src/core/vocabulary-layout.ts';

/** docs/model-format.md's eleven specials: Show-o's ten, then <|edit|>. */
export const SPECIAL_TOKENS = ['<|pad|>', '<|soi|>', '<|eoi|>', '<|sov|>', '<|eov|>', '<|t2i|>', '<|mmu|>', '<|t2v|>', '<|v2v|>', '<|lvg|>', '<|edit|>'] as const;

/** The model-format layout with `text` text ids and `codebook` codes: vocab = text + 11 + codebook + 1. */
export function syntheticLayout(text: number, codebook: number, grid: number): VocabularyLayout {
  const imageTokenOffset = text + SPECIAL_TOKENS.length;
  const vocabSize = imageTokenOffset + codebook + 1;
  return {
    textVocabSize: text, specialTokens: SPECIAL_TOKENS, imageCodebookSize: codebook, imageTokenOffset,
    maskTokenId: vocabSize - 1, vocabSize, bosTokenId: 1, eosTokenId: 2, unkTokenId: 0, padToken: '<|pad|>',
    imageGrid: { height: grid, width: grid },
  };
}

export function syntheticVocabulary(text: number, codebook: number, grid: number): UnifiedVocabulary {
  return new UnifiedVocabulary(syntheticLayout(text, codebook, grid));
}

const CACHE_DIR = join(tmpdir(), 'omnidecode-bench-models');

const DECODER_WRITER = ['../src/synthetic/synthetic-decoder.ts', '../src/synthetic/onnx-graph-builder.ts'];

/** The writer's own source takes part in the hash, so a changed writer never reuses a stale file. */
function writerFingerprint(files: readonly string[] = DECODER_WRITER): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(fileURLToPath(new URL(file, import.meta.url))));
  return hash.digest('hex').slice(0, 12);
}

function specKey(kind: string, spec: SyntheticDecoderSpec | SyntheticJanusSpec, extra: unknown = null, writer = writerFingerprint()): string {
  return createHash('sha256').update(JSON.stringify({ kind, spec, extra, writer })).digest('hex').slice(0, 16);
}

export interface CachedModel {
  readonly path: string;
  /** True when this call wrote it (false: reused from an earlier run). */
  readonly written: boolean;
  readonly writeMs: number;
}

/** An omni-4d (or standard) decoder file under os.tmpdir(), reused by spec hash across runs. */
export function cachedSyntheticDecoder(spec: SyntheticDecoderSpec): CachedModel {
  const folder = join(CACHE_DIR, specKey('decoder', spec));
  const path = join(folder, 'model.onnx');
  if (existsSync(path)) return { path, written: false, writeMs: 0 };
  const started = performance.now();
  mkdirSync(folder, { recursive: true });
  writeSyntheticDecoder(spec, path);
  return { path, written: true, writeMs: performance.now() - started };
}

/**
 * A 'standard-2d' decoder in the Hugging Face layout (config.json, generation_config.json,
 * onnx/model.onnx) under `<root>/<name>`, for transformers.js; reused by spec hash.
 */
export function cachedHuggingFaceDecoder(spec: SyntheticDecoderSpec, options: { bosTokenId: number; eosTokenId: number; padTokenId: number }): CachedModel & { root: string; name: string } {
  const name = `synthetic-${specKey('hf', spec, options)}`;
  const folder = join(CACHE_DIR, name);
  const path = join(folder, 'onnx', 'model.onnx');
  if (existsSync(path)) return { path, written: false, writeMs: 0, root: CACHE_DIR, name };
  const started = performance.now();
  const temporary = `${folder}.partial-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  writeHuggingFaceDecoder(spec, temporary, options);
  rmSync(folder, { recursive: true, force: true });
  renameSync(temporary, folder);
  return { path, written: true, writeMs: performance.now() - started, root: CACHE_DIR, name };
}

/** The Janus writer's files (every graph builder of src/synthetic/janus/ and the ONNX builder). */
function janusWriterFiles(): string[] {
  const dir = fileURLToPath(new URL('../src/synthetic/janus/', import.meta.url));
  return [...readdirSync(dir).filter((name) => name.endsWith('.ts')).sort().map((name) => `../src/synthetic/janus/${name}`), DECODER_WRITER[1] as string];
}

/** A synthetic Janus-layout folder (the six graphs transformers.js runs) under `<root>/<name>`, reused by spec hash. */
export function cachedJanusFolder(spec: SyntheticJanusSpec): CachedModel & { root: string; name: string } {
  const name = `janus-${specKey('janus', spec, null, writerFingerprint(janusWriterFiles()))}`;
  const folder = join(CACHE_DIR, name);
  if (existsSync(join(folder, 'config.json'))) return { path: folder, written: false, writeMs: 0, root: CACHE_DIR, name };
  const started = performance.now();
  const temporary = `${folder}.partial-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  writeSyntheticJanusFolder(temporary, spec);
  rmSync(folder, { recursive: true, force: true });
  renameSync(temporary, folder);
  return { path: folder, written: true, writeMs: performance.now() - started, root: CACHE_DIR, name };
}
