import { vi } from 'vitest';
import { main } from '../../src/cli/main.ts';

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => { text += String(chunk); return true; });
  return () => text;
}

/** `omnidecode ...args` in this process (so spies see its calls), with its exit code and output. */
export async function inProcessCli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = capture(process.stdout);
  const stderr = capture(process.stderr);
  try {
    const code = await main(['node', 'omnidecode', ...args]);
    return { code, stdout: stdout(), stderr: stderr() };
  } finally {
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
  }
}
