import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../src/core/errors.ts';
import { MAX_TOKENIZER_JSON_BYTES } from '../src/node/json-object-file.ts';
import { TextTokenizer } from '../src/tokenizers/text-tokenizer.ts';

describe('a tokenizer.json over the size limit', () => {
  it('is refused by its size before it is read, naming the file and the limit', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'omni-tok-')), 'tokenizer.json');
    writeFileSync(path, '{');
    truncateSync(path, MAX_TOKENIZER_JSON_BYTES + 1); // sparse: no disk used
    const error = await TextTokenizer.load(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toBe(`${path} is ${MAX_TOKENIZER_JSON_BYTES + 1} bytes; a tokenizer.json may be at most ${MAX_TOKENIZER_JSON_BYTES}`);
  });
});
