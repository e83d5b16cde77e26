import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { RedisAddress } from './redis-url.ts';
import { QueueConnectionError } from './queue-errors.ts';

/** ioredis options for the address (BullMQ opens its own connections from these). */
export function redisOptions(address: RedisAddress, connectTimeoutMs: number): RedisOptions {
  return {
    host: address.host, port: address.port, db: address.db,
    ...(address.username !== undefined ? { username: address.username } : {}),
    ...(address.password !== undefined ? { password: address.password } : {}),
    ...(address.tls ? { tls: { servername: address.host } } : {}),
    connectTimeout: connectTimeoutMs,
    // BullMQ's blocking commands need this (it insists on it for workers and queue events).
    maxRetriesPerRequest: null,
  };
}

/**
 * Connects once and sends PING, all within `timeoutMs`: an unreachable or silent Redis fails here,
 * with a QueueConnectionError naming the URL, instead of leaving BullMQ to retry for ever.
 */
export async function checkRedisReachable(address: RedisAddress, timeoutMs: number): Promise<void> {
  const client = new Redis({
    ...redisOptions(address, timeoutMs),
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError = '';
  client.on('error', (error: Error) => { lastError = error.message; });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new QueueConnectionError(address.display, timeoutMs,
      lastError === '' ? 'no answer to PING' : lastError)), timeoutMs);
  });
  const probe = (async () => {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${JSON.stringify(answer).slice(0, 80)}`);
  })();
  // The loser of the race must not surface later as an unhandled rejection.
  probe.catch(() => undefined);
  try {
    await Promise.race([probe, deadline]);
  } catch (error) {
    if (error instanceof QueueConnectionError) throw error;
    // ioredis rejects with "Connection is closed."; the socket's own error (ECONNREFUSED, ...) says why.
    throw new QueueConnectionError(address.display, timeoutMs, lastError !== '' ? lastError : error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
