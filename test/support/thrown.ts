import { expect } from 'vitest';

/** Runs `action`, expects it to throw an instance of `kind`, and returns that error for more checks. */
export function thrown<E extends Error>(kind: abstract new (...args: never[]) => E, action: () => unknown): E {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(kind);
    return error as E;
  }
  throw new Error(`expected ${kind.name} to be thrown`);
}
