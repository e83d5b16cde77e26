import { expect, it } from 'vitest';
import { ConfigError } from '../src/core/errors.ts';
import { MAX_REDIS_URL_LENGTH, parseRedisUrl } from '../src/sweeps/queue/redis-url.ts';
import { thrown } from './support/thrown.ts';

it('reads host, port, db and credentials, and hides the password in the shown URL', () => {
  expect(parseRedisUrl('redis://127.0.0.1:6390')).toMatchObject({ host: '127.0.0.1', port: 6390, db: 0, tls: false, display: 'redis://127.0.0.1:6390' });
  expect(parseRedisUrl('redis://queue.lab')).toMatchObject({ host: 'queue.lab', port: 6379 });
  expect(parseRedisUrl('rediss://me:s%40cret@[::1]:7000/3')).toMatchObject({
    host: '::1', port: 7000, db: 3, tls: true, username: 'me', password: 's@cret', display: 'rediss://me:***@[::1]:7000/3',
  });
});

it.each([
  ['http://127.0.0.1:6379', /--queue: got "http:\/\/127\.0\.0\.1:6379", expected redis:\/\/host:port/],
  ['127.0.0.1:6379', /expected redis:\/\/host:port/],
  ['redis://', /expected redis:\/\/host:port/],
  ['redis://host:6379/16', /the db is an integer from 0 to 15/],
  ['redis://host:6379/x', /the db is an integer from 0 to 15/],
  ['redis://host:6379?password=x', /no \?query or #fragment/],
  ['', /at most 2048 characters/],
  [`redis://${'h'.repeat(MAX_REDIS_URL_LENGTH)}`, /at most 2048 characters/],
])('refuses %s naming --queue', (url, message) => {
  const error = thrown(ConfigError, () => parseRedisUrl(url));
  expect(error.what).toBe('--queue');
  expect(error.message).toMatch(message);
});
