import { ModelFileError } from '../../core/errors.ts';

/** Names in `expected` but not `actual`, and in `actual` but not `expected`. */
export function nameDifference(actual: readonly string[], expected: readonly string[]): { missing: string[]; extra: string[] } {
  const have = new Set(actual);
  const want = new Set(expected);
  return {
    missing: expected.filter((name) => !have.has(name)),
    extra: actual.filter((name) => !want.has(name)),
  };
}

/** A ModelFileError listing what is missing and extra against the expected names. */
export function inputMismatch(path: string, what: string, actual: readonly string[], expected: readonly string[], detail = ''): ModelFileError {
  const { missing, extra } = nameDifference(actual, expected);
  const parts = [
    missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
    extra.length > 0 ? `extra: ${extra.join(', ')}` : '',
  ].filter((part) => part !== '');
  return new ModelFileError(what, actual, `inputs ${expected.join(', ')}`,
    `${path}: ${what} do not match (${parts.join('; ')})${detail}; expected: ${expected.join(', ')}`);
}
