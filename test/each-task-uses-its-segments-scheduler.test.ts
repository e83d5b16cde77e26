import { describe, expect, it } from 'vitest';
import { TASK_TYPES, taskModality } from '../src/core/config/omnidecode-config.ts';

describe('taskModality', () => {
  it('describe generates text; every other task generates an image (a chat also reads schedulers.text for its words)', () => {
    expect(Object.fromEntries(TASK_TYPES.map((type) => [type, taskModality({ type })]))).toEqual({
      'text-to-image': 'image', describe: 'text', edit: 'image', inpaint: 'image', outpaint: 'image', chat: 'image',
    });
  });
});
