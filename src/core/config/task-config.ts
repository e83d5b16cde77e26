import { ConfigError } from '../errors.ts';
import type { Modality } from '../request.ts';
import {
  enumField, integerField, joinPath, optionalPathField, optionalStringField, pathField, record, rejectUnknown, stringField,
} from './config-fields.ts';

/** A config file's `task`: what `omnidecode run CONFIG` does. Paths are absolute (resolved against the file's folder). */
export interface TextToImageTask {
  readonly type: 'text-to-image';
  /** '' for unconditional generation. */
  readonly prompt: string;
  readonly count: number;
  readonly output: string;
  readonly trace: string | null;
}

export interface DescribeTask {
  readonly type: 'describe';
  readonly image: string;
  /** null: the model's trained question. */
  readonly question: string | null;
  /** null: the model's default answer length. */
  readonly maxTokens: number | null;
}

export interface EditTask {
  readonly type: 'edit';
  readonly image: string;
  readonly instruction: string;
  readonly output: string;
}

export interface InpaintTask {
  readonly type: 'inpaint';
  readonly image: string;
  readonly mask: string;
  readonly prompt: string;
  readonly output: string;
}

export type OutpaintUnit = 'tokens' | 'pixels';

export interface OutpaintTask {
  readonly type: 'outpaint';
  readonly image: string;
  /** Margins to add on each side, in `unit`; 0 when not given, at least one > 0. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly unit: OutpaintUnit;
  readonly prompt: string;
  readonly output: string;
}

/** Interleaved chat: each entry of `turns` is one user turn; `output` a folder (chat.md, chat.html, chat.json, image-N.png). */
export interface ChatTask {
  readonly type: 'chat';
  readonly turns: readonly string[];
  /** An image the chat starts from; null for none. */
  readonly image: string | null;
  readonly output: string;
  /** Images one answer may open; null: the model's default (prompts.chat.maxImages). */
  readonly maxImages: number | null;
  /** Also write trace-N.png per image (the x0 guess and the committed canvas at every step). */
  readonly trace: boolean;
}

export type TaskConfig = TextToImageTask | DescribeTask | EditTask | InpaintTask | OutpaintTask | ChatTask;
export type TaskType = TaskConfig['type'];

const TASK_FIELDS: Readonly<Record<TaskType, readonly string[]>> = {
  'text-to-image': ['prompt', 'count', 'output', 'trace'],
  describe: ['image', 'question', 'maxTokens'],
  edit: ['image', 'instruction', 'output'],
  inpaint: ['image', 'mask', 'prompt', 'output'],
  outpaint: ['image', 'left', 'right', 'top', 'bottom', 'unit', 'prompt', 'output'],
  chat: ['turns', 'image', 'output', 'maxImages', 'trace'],
};

export const TASK_TYPES = Object.keys(TASK_FIELDS) as readonly TaskType[];

const MARGINS = ['left', 'right', 'top', 'bottom'] as const;

function isTaskType(value: unknown): value is TaskType {
  return typeof value === 'string' && (TASK_TYPES as readonly string[]).includes(value);
}

function parseOutpaint(object: Record<string, unknown>, field: string, baseDir: string): OutpaintTask {
  const image = pathField(object, 'image', field, baseDir);
  const [left, right, top, bottom] = MARGINS.map((side) => integerField(object, side, field, 0, 0)) as [number, number, number, number];
  if (left + right + top + bottom === 0) {
    throw new ConfigError(joinPath(field, 'left'), object.left, 'at least one margin > 0',
      `${field}: an outpaint task needs at least one of ${MARGINS.map((side) => joinPath(field, side)).join(', ')} > 0`);
  }
  return {
    type: 'outpaint', image, left, right, top, bottom,
    unit: enumField(object, 'unit', field, ['tokens', 'pixels'] as const, 'tokens'),
    prompt: stringField(object, 'prompt', field, ''), output: pathField(object, 'output', field, baseDir),
  };
}

/** Validates `task` (a discriminated union on `type`), naming every bad field as `task.<field>`. */
export function parseTask(value: unknown, baseDir: string, field = 'task'): TaskConfig {
  const object = record(value, field);
  const type = object.type;
  if (!isTaskType(type)) throw new ConfigError(joinPath(field, 'type'), type, `one of: ${TASK_TYPES.join(', ')}`);
  rejectUnknown(object, ['type', ...TASK_FIELDS[type]], field);
  switch (type) {
    case 'text-to-image':
      return {
        type, prompt: stringField(object, 'prompt', field, ''), count: integerField(object, 'count', field, 1, 1),
        output: pathField(object, 'output', field, baseDir), trace: optionalPathField(object, 'trace', field, baseDir),
      };
    case 'describe':
      return {
        type, image: pathField(object, 'image', field, baseDir), question: optionalStringField(object, 'question', field),
        maxTokens: integerField(object, 'maxTokens', field, 1, null),
      };
    case 'edit':
      return {
        type, image: pathField(object, 'image', field, baseDir), instruction: stringField(object, 'instruction', field),
        output: pathField(object, 'output', field, baseDir),
      };
    case 'inpaint':
      return {
        type, image: pathField(object, 'image', field, baseDir), mask: pathField(object, 'mask', field, baseDir),
        prompt: stringField(object, 'prompt', field, ''), output: pathField(object, 'output', field, baseDir),
      };
    case 'outpaint':
      return parseOutpaint(object, field, baseDir);
    case 'chat':
      return parseChat(object, field, baseDir);
  }
}

/** `turns`: one string or a list of strings (what each string may say is the pipeline's check). */
function parseChat(object: Record<string, unknown>, field: string, baseDir: string): ChatTask {
  const turns = typeof object.turns === 'string' ? [object.turns] : object.turns;
  if (!Array.isArray(turns) || turns.length === 0 || turns.some((turn) => typeof turn !== 'string')) {
    throw new ConfigError(joinPath(field, 'turns'), object.turns, 'a string or a non-empty list of strings (one per user turn)');
  }
  const trace = object.trace ?? false;
  if (typeof trace !== 'boolean') throw new ConfigError(joinPath(field, 'trace'), trace, 'true or false');
  return {
    type: 'chat', turns: turns as string[], image: optionalPathField(object, 'image', field, baseDir), output: pathField(object, 'output', field, baseDir),
    maxImages: integerField(object, 'maxImages', field, 0, null), trace,
  };
}

/** The segment a task generates, i.e. which `schedulers.<modality>` choice it uses: describe writes text, the rest images (a chat also reads schedulers.text for its words). */
export function taskModality(task: Pick<TaskConfig, 'type'>): Modality {
  return task.type === 'describe' ? 'text' : 'image';
}
