import 'reflect-metadata';
import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { OmnidecodePipeline } from '../../src/pipeline/omnidecode-pipeline.ts';
import { DEFAULT_MODEL_DIR } from '../../src/pipeline/model-folder.ts';

/** The model the chat tests run: the shipped one, trained on the chat layout. */
export const CHAT_MODEL_DIR = DEFAULT_MODEL_DIR;

export function loadChatModel(): Promise<OmnidecodePipeline> {
  return OmnidecodePipeline.load({ model: CHAT_MODEL_DIR, threads: 1 });
}

/** `omnidecode chat ...` in this process, its stdout and stderr captured. */
export async function runChatCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { stdout += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => { stderr += String(chunk); return true; });
  try {
    const code = await main(['node', 'omnidecode', 'chat', ...args, '--model', CHAT_MODEL_DIR, '--threads', '1']);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
