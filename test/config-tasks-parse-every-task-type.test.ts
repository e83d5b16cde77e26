import { thrown } from './support/thrown.ts';
import { describe, expect, it } from 'vitest';
import { parseConfig, TASK_TYPES, type TaskConfig } from '../src/core/config/omnidecode-config.ts';
import { ConfigError } from '../src/core/errors.ts';

const BASE = '/runs/config-dir';

function task(raw: Record<string, unknown>): TaskConfig | null {
  return parseConfig({ task: raw }, BASE).task;
}

const refusal = (raw: Record<string, unknown>): ConfigError => thrown(ConfigError, () => task(raw));

describe('a config task may be any of the six task types', () => {
  it('parses each type, fills defaults and resolves paths against the config file folder', () => {
    expect(task({ type: 'text-to-image', prompt: 'a bag', output: 'out/bag.png' })).toEqual({
      type: 'text-to-image', prompt: 'a bag', count: 1, output: `${BASE}/out/bag.png`, trace: null,
    });
    expect(task({ type: 'describe', image: 'in.png', question: 'what is it?', maxTokens: 4 })).toEqual({
      type: 'describe', image: `${BASE}/in.png`, question: 'what is it?', maxTokens: 4,
    });
    expect(task({ type: 'describe', image: '/abs/in.png' })).toEqual({ type: 'describe', image: '/abs/in.png', question: null, maxTokens: null });
    expect(task({ type: 'edit', image: 'in.png', instruction: 'make it darker', output: 'dark.png' })).toEqual({
      type: 'edit', image: `${BASE}/in.png`, instruction: 'make it darker', output: `${BASE}/dark.png`,
    });
    expect(task({ type: 'inpaint', image: 'in.png', mask: 'mask.png', output: 'fixed.png' })).toEqual({
      type: 'inpaint', image: `${BASE}/in.png`, mask: `${BASE}/mask.png`, prompt: '', output: `${BASE}/fixed.png`,
    });
    expect(task({ type: 'outpaint', image: 'in.png', right: 4, prompt: 'a bag', output: 'wide.png' })).toEqual({
      type: 'outpaint', image: `${BASE}/in.png`, left: 0, right: 4, top: 0, bottom: 0, unit: 'tokens', prompt: 'a bag', output: `${BASE}/wide.png`,
    });
    expect(task({ type: 'outpaint', image: 'in.png', top: 8, unit: 'pixels', output: 'tall.png' })).toMatchObject({ top: 8, unit: 'pixels' });
    expect(task({ type: 'chat', turns: ['draw a bag', 'now flip it'], output: 'chat' })).toEqual({
      type: 'chat', turns: ['draw a bag', 'now flip it'], image: null, output: `${BASE}/chat`, maxImages: null, trace: false,
    });
    expect(task({ type: 'chat', turns: 'make it darker', image: 'in.png', output: 'chat', maxImages: 1, trace: true })).toEqual({
      type: 'chat', turns: ['make it darker'], image: `${BASE}/in.png`, output: `${BASE}/chat`, maxImages: 1, trace: true,
    });
  });

  it('lists the valid types for a bad one', () => {
    const error = refusal({ type: 'upscale' });
    expect(error.what).toBe('task.type');
    expect(TASK_TYPES).toEqual(['text-to-image', 'describe', 'edit', 'inpaint', 'outpaint', 'chat']);
    expect(error.message).toBe('task.type: got "upscale", expected one of: text-to-image, describe, edit, inpaint, outpaint, chat');
  });

  it('names every bad or missing field as task.<field>', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'describe' }, 'task.image'],
      [{ type: 'describe', image: 3 }, 'task.image'],
      [{ type: 'describe', image: 'a.png', maxTokens: 0 }, 'task.maxTokens'],
      [{ type: 'describe', image: 'a.png', question: 7 }, 'task.question'],
      [{ type: 'edit', image: 'a.png', output: 'b.png' }, 'task.instruction'],
      [{ type: 'inpaint', image: 'a.png', output: 'b.png' }, 'task.mask'],
      [{ type: 'text-to-image', output: 'b.png', count: 1.5 }, 'task.count'],
      [{ type: 'text-to-image', prompt: 'a bag' }, 'task.output'],
      [{ type: 'outpaint', image: 'a.png', left: -1, output: 'b.png' }, 'task.left'],
      [{ type: 'outpaint', image: 'a.png', left: 2, unit: 'cm', output: 'b.png' }, 'task.unit'],
      [{ type: 'outpaint', image: 'a.png', output: 'b.png' }, 'task.left'],
      [{ type: 'chat', output: 'out' }, 'task.turns'],
      [{ type: 'chat', turns: [], output: 'out' }, 'task.turns'],
      [{ type: 'chat', turns: ['draw a bag', 3], output: 'out' }, 'task.turns'],
      [{ type: 'chat', turns: 'draw a bag' }, 'task.output'],
      [{ type: 'chat', turns: 'draw a bag', output: 'out', maxImages: -1 }, 'task.maxImages'],
      [{ type: 'chat', turns: 'draw a bag', output: 'out', trace: 'yes' }, 'task.trace'],
    ];
    for (const [raw, field] of cases) expect(refusal(raw).what, JSON.stringify(raw)).toBe(field);
    expect(refusal({ type: 'outpaint', image: 'a.png', output: 'b.png' }).message).toContain('task.left, task.right, task.top, task.bottom > 0');
  });

  it('refuses fields another task type has, listing the valid ones', () => {
    const error = refusal({ type: 'describe', image: 'a.png', output: 'b.png' });
    expect(error.what).toBe('task.output');
    expect(error.message).toBe('unknown field task.output; valid fields: type, image, question, maxTokens');
  });
});
