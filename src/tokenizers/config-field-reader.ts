import { isAbsolute } from 'node:path';
import { ModelFileError, describeValue } from '../core/errors.ts';

/** Reads typed fields of a model folder's config.json, throwing ModelFileError that names file, field, value and expectation. */
export class FieldReader {
  constructor(private readonly path: string) {}

  fail(field: string, value: unknown, expected: string): never {
    const what = field === '' ? 'config' : field;
    throw new ModelFileError(what, value, expected,
      `${this.path}: ${what}: got ${value === undefined ? 'nothing (missing)' : describeValue(value)}, expected ${expected}`);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, value, 'an object');
    return value as Record<string, unknown>;
  }

  integer(value: unknown, field: string, min: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) this.fail(field, value, `an integer >= ${min}`);
    return value;
  }

  number(value: unknown, field: string, min: number): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min) this.fail(field, value, `a finite number >= ${min}`);
    return value;
  }

  string(value: unknown, field: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(field, value, 'a non-empty string');
    return value;
  }

  strings(value: unknown, field: string): string[] {
    if (!Array.isArray(value) || value.length === 0) this.fail(field, value, 'a non-empty array of strings');
    return value.map((item, index) => this.string(item, `${field}[${index}]`));
  }

  /** A path inside the model folder: relative, without `..`, so a config cannot point elsewhere. */
  file(value: unknown, field: string): string {
    const file = this.string(value, field);
    if (isAbsolute(file) || file.split(/[\\/]/).includes('..')) {
      this.fail(field, file, 'a path relative to the model folder, inside it (no leading / and no ..)');
    }
    return file;
  }
}
