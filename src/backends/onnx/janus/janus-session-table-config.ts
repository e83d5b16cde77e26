import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize } from 'node:path';
import { describeValue, ModelFileError } from '../../../core/errors.ts';
import { readJsonObjectFile } from '../../../node/json-object-file.ts';
import {
  checkJanusSessionTable, DEFAULT_JANUS_SESSION_TABLE, MAX_JANUS_GRAPHS, type JanusGraphDeclaration, type JanusSessionTable,
} from './janus-session-table.ts';

/** The config.json section a Janus folder may add to declare its own table (docs/model-format.md). */
export const JANUS_TABLE_SECTION = 'omnidecode';

/** Longest graph, file or I/O name a table may hold, and most names in one list. */
const MAX_NAME = 200;
const MAX_NAMES = 8;

/**
 * The session table of a Janus folder's config.json: the default (transformers.js's layout) with
 * the folder's `omnidecode.sessions` entries laid over it field by field (a new graph name gives
 * all three fields) and `omnidecode.heads` over the default heads. Checked before any file is opened.
 */
export function janusSessionTableFrom(config: Readonly<Record<string, unknown>>, configPath: string): JanusSessionTable {
  const section = config[JANUS_TABLE_SECTION];
  if (section === undefined) return DEFAULT_JANUS_SESSION_TABLE;
  const where = (field: string): string => `${JANUS_TABLE_SECTION}.${field}`;
  const fail = (field: string, got: unknown, expected: string): never => {
    throw new ModelFileError(where(field), got, expected, `${configPath}: ${where(field)}: got ${describeValue(got)}, expected ${expected}`);
  };
  const object = (value: unknown, field: string): Readonly<Record<string, unknown>> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, value, 'an object');
    return value as Readonly<Record<string, unknown>>;
  };
  const name = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value === '' || value.length > MAX_NAME) fail(field, value, `a name of 1 to ${MAX_NAME} characters`);
    return value as string;
  };
  const names = (value: unknown, field: string): string[] => {
    if (!Array.isArray(value) || value.length > MAX_NAMES) fail(field, value, `a list of at most ${MAX_NAMES} names`);
    return (value as unknown[]).map((item, index) => name(item, `${field}[${index}]`));
  };
  const file = (value: unknown, field: string): string => {
    const path = name(value, field);
    if (isAbsolute(path) || normalize(path).split(/[\\/]/u).includes('..')) fail(field, path, 'a path inside the model folder (relative, no ..)');
    return path;
  };

  const body = object(section, '');
  for (const key of Object.keys(body)) if (key !== 'sessions' && key !== 'heads') fail(key, body[key], 'only sessions and heads in this section');
  const graphs: Record<string, JanusGraphDeclaration> = { ...DEFAULT_JANUS_SESSION_TABLE.graphs };
  const sessions = body.sessions === undefined ? {} : object(body.sessions, 'sessions');
  if (Object.keys(sessions).length > MAX_JANUS_GRAPHS) fail('sessions', Object.keys(sessions), `at most ${MAX_JANUS_GRAPHS} graphs`);
  for (const [graph, value] of Object.entries(sessions)) {
    name(graph, `sessions key ${JSON.stringify(graph)}`);
    const entry = object(value, `sessions.${graph}`);
    for (const key of Object.keys(entry)) if (!['file', 'inputs', 'outputs'].includes(key)) fail(`sessions.${graph}.${key}`, entry[key], 'only file, inputs and outputs');
    const base = graphs[graph];
    if (base === undefined && (entry.file === undefined || entry.inputs === undefined || entry.outputs === undefined)) {
      fail(`sessions.${graph}`, Object.keys(entry), 'file, inputs and outputs (a graph the default table lacks gives all three)');
    }
    graphs[graph] = {
      file: entry.file === undefined ? (base as JanusGraphDeclaration).file : file(entry.file, `sessions.${graph}.file`),
      inputs: entry.inputs === undefined ? (base as JanusGraphDeclaration).inputs : names(entry.inputs, `sessions.${graph}.inputs`),
      outputs: entry.outputs === undefined ? (base as JanusGraphDeclaration).outputs : names(entry.outputs, `sessions.${graph}.outputs`),
    };
  }
  const heads = body.heads === undefined ? {} : object(body.heads, 'heads');
  for (const key of Object.keys(heads)) if (key !== 'text' && key !== 'image') fail(`heads.${key}`, heads[key], 'only text and image');
  const table: JanusSessionTable = {
    graphs,
    heads: {
      text: heads.text === undefined ? DEFAULT_JANUS_SESSION_TABLE.heads.text : name(heads.text, 'heads.text'),
      image: heads.image === undefined ? DEFAULT_JANUS_SESSION_TABLE.heads.image : name(heads.image, 'heads.image'),
    },
  };
  // Default graphs that no longer play a part (a renamed head) are dropped, so they need no file.
  const used = new Set<string>(['prepare_inputs_embeds', 'language_model', 'gen_img_embeds', 'image_decode', table.heads.text, table.heads.image]);
  for (const graph of Object.keys(graphs)) if (!used.has(graph) && sessions[graph] === undefined) delete graphs[graph];
  checkJanusSessionTable(table, `${configPath} (${JANUS_TABLE_SECTION} section)`);
  return table;
}

/** Reads `folder`/config.json's session table (the default when the file has no section). */
export async function readJanusSessionTable(folder: string): Promise<JanusSessionTable> {
  const configPath = join(folder, 'config.json');
  if (!existsSync(configPath)) return DEFAULT_JANUS_SESSION_TABLE;
  return janusSessionTableFrom(await readJsonObjectFile(configPath), configPath);
}

/** Refuses a table whose graphs' files are not all in the folder, naming each missing graph and file, before any is opened. */
export function checkJanusGraphFiles(folder: string, table: JanusSessionTable, graphs: readonly string[]): void {
  const missing = graphs.filter((graph) => !existsSync(join(folder, (table.graphs[graph] as JanusGraphDeclaration).file)));
  if (missing.length === 0) return;
  const listed = missing.map((graph) => `${graph} (${join(folder, (table.graphs[graph] as JanusGraphDeclaration).file)})`);
  throw new ModelFileError('model file', listed, 'every graph the session table declares',
    `model file missing: ${listed.join(', ')}; declared by the session table (docs/model-format.md, "Janus-layout folders")`);
}
