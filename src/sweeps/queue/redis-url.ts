import { ConfigError } from '../../core/errors.ts';

/** The longest --queue URL accepted. */
export const MAX_REDIS_URL_LENGTH = 2048;
const EXPECTED = 'redis://host:port (or rediss:// for TLS), optionally with user:password@ and /db';

/** Where a queue lives: what ioredis needs to connect, and the URL as messages show it (password hidden). */
export interface RedisAddress {
  readonly host: string;
  readonly port: number;
  readonly db: number;
  readonly username?: string;
  readonly password?: string;
  readonly tls: boolean;
  /** The URL without its password, for messages and logs. */
  readonly display: string;
}

/** Reads `redis://[user:password@]host[:port][/db]`; anything else is a ConfigError naming --queue. */
export function parseRedisUrl(text: string, flag = '--queue'): RedisAddress {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_REDIS_URL_LENGTH) {
    throw new ConfigError(flag, text, `${EXPECTED}, at most ${MAX_REDIS_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(flag, text, EXPECTED);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(flag, text, EXPECTED);
  if (url.hostname === '') throw new ConfigError(flag, text, `${EXPECTED}: the host is missing`);
  if (url.search !== '' || url.hash !== '') throw new ConfigError(flag, text, `${EXPECTED}: no ?query or #fragment`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!/^\d{0,2}$/.test(path) || !Number.isInteger(db) || db > 15) throw new ConfigError(flag, text, `${EXPECTED}: the db is an integer from 0 to 15`);
  // URL keeps IPv6 hosts in brackets; ioredis wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const shown = new URL(text);
  if (shown.password !== '') shown.password = '***';
  return {
    host, port, db, tls: url.protocol === 'rediss:',
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    display: shown.toString().replace(/\/$/, ''),
  };
}
