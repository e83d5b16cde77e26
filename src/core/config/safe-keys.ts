import { ConfigError } from '../errors.ts';

/** Keys that reach Object.prototype when assigned: never accepted as a field or parameter name. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Refuses `key` unless it is a plain identifier other than the forbidden ones. */
export function checkPlainKey(key: string, field: string): void {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new ConfigError(field, key, 'a parameter name other than __proto__, constructor or prototype',
      `${field}: "${key}" is not allowed as a key (it would reach the object prototype)`);
  }
  if (!IDENTIFIER.test(key)) throw new ConfigError(field, key, 'a plain identifier (letters, digits, _ or $, not starting with a digit)');
}

/**
 * Refuses forbidden keys anywhere inside `value` (objects nested in objects and arrays), naming the
 * path, e.g. `schedulers.image.sampler.__proto__`. JSON.parse and YAML keep such keys as own
 * properties; a later Object.assign or property write would turn them into prototype changes.
 */
export function rejectForbiddenKeys(value: unknown, field: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => rejectForbiddenKeys(item, `${field}[${index}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    const path = field ? `${field}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) {
      throw new ConfigError(path, key, 'a key other than __proto__, constructor or prototype',
        `${path}: "${key}" is not allowed as a key (it would reach the object prototype)`);
    }
    rejectForbiddenKeys((value as Record<string, unknown>)[key], path);
  }
}

/** An object with no prototype, so no key written into it can reach Object.prototype. */
export function emptyRecord<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
