import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createQueueExecutor } from '../src/sweeps/queue/queue-executor.ts';
import { QueueConnectionError } from '../src/sweeps/queue/queue-errors.ts';
import { startCli } from './support/cli-process.ts';
import { freeLoopbackPort } from './support/redis-server.ts';

// No Redis at the URL: nothing listens (refused), or something accepts and never answers (silent).
// Either way the sweep and the worker give up within the connect timeout, naming the URL.

let silent: Server;
let silentUrl: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  silent = createServer((socket) => { sockets.push(socket); });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  silentUrl = `redis://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

async function refusal(url: string, connectTimeoutMs: number): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    const executor = await createQueueExecutor(url, { modelHash: 'a'.repeat(64), log: () => undefined, connectTimeoutMs });
    await executor.close();
    return { error: null, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

it('a port nobody listens on fails at once, naming the URL', async () => {
  const url = `redis://127.0.0.1:${await freeLoopbackPort()}`;
  const { error, ms } = await refusal(url, 3000);
  expect(error).toBeInstanceOf(QueueConnectionError);
  expect((error as Error).message).toContain(`cannot reach Redis at ${url}`);
  expect((error as Error).message).toMatch(/ECONNREFUSED/);
  expect(ms).toBeLessThan(3000);
});

it('a server that never answers fails after the timeout, naming the URL', async () => {
  const { error, ms } = await refusal(silentUrl, 1000);
  expect(error).toBeInstanceOf(QueueConnectionError);
  expect((error as Error).message).toContain(`cannot reach Redis at ${silentUrl} within 1000 ms`);
  expect(ms).toBeGreaterThanOrEqual(900);
  expect(ms).toBeLessThan(4000);
});

it('the worker command exits 1 with the same message', async () => {
  const started = Date.now();
  const run = startCli(['worker', '--queue', silentUrl, '--connect-timeout', '1000', '--threads', '1'], process.cwd());
  const { code, stderr } = await run.done;
  expect(code).toBe(1);
  expect(stderr).toContain(`omnidecode: cannot reach Redis at ${silentUrl} within 1000 ms`);
  expect(Date.now() - started).toBeLessThan(30_000);
});
