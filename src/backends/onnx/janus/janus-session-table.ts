import { ModelFileError } from '../../../core/errors.ts';

/**
 * The graphs of a Janus-layout folder and how they connect, as data: which file plays each role and
 * the names of its inputs and outputs. The default is the layout transformers.js's
 * MultiModalityCausalLM runs (session_config.js's multi_modality sessions, the I/O names its
 * modeling_multi_modality.js feeds); a folder's config.json may override any of it (janus-session-table-config.ts).
 *
 * Graphs connect by name, as transformers.js connects them: each embedder's output is the language
 * model's embeddings input, and the language model's hidden-state output is each head's input.
 * Each role's lists are positional (JANUS_ROLE_IO says what each position means), so a folder may
 * rename any of them.
 */
export interface JanusGraphDeclaration {
  /** The ONNX file, relative to the folder. */
  readonly file: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** The roles the Janus backend drives; heads are whatever graphs `heads` names. */
export const JANUS_ROLES = ['prepare_inputs_embeds', 'language_model', 'gen_img_embeds', 'image_decode'] as const;
export type JanusRole = typeof JANUS_ROLES[number];

export interface JanusHeads {
  /** The graph whose logits give the text ids (transformers.js: lm_head). */
  readonly text: string;
  /** The graph whose logits give the image codes (transformers.js: gen_head). */
  readonly image: string;
}

export interface JanusSessionTable {
  readonly graphs: Readonly<Record<string, JanusGraphDeclaration>>;
  readonly heads: JanusHeads;
}

/**
 * What each position of a role's input and output lists means. The language model's hidden-state
 * output and the heads' input are the one connection a table may leave to the files (an empty
 * list): transformers.js pairs them by name, and the published files' name could not be read here.
 */
export const JANUS_ROLE_IO = {
  prepare_inputs_embeds: { inputs: ['text ids', 'pixel values', 'image-position mask', 'image-embedding mask'], outputs: ['embeddings'] },
  language_model: { inputs: ['embeddings', 'attention mask', 'position ids'], outputs: ['hidden state (optional)'] },
  head: { inputs: ['hidden state (optional)'], outputs: ['logits'] },
  gen_img_embeds: { inputs: ['image codes'], outputs: ['embeddings'] },
  image_decode: { inputs: ['image codes'], outputs: ['decoded image'] },
} as const;

export const DEFAULT_JANUS_SESSION_TABLE: JanusSessionTable = {
  graphs: {
    prepare_inputs_embeds: {
      file: 'onnx/prepare_inputs_embeds.onnx',
      inputs: ['input_ids', 'pixel_values', 'images_seq_mask', 'images_emb_mask'], outputs: ['inputs_embeds'],
    },
    language_model: { file: 'onnx/language_model.onnx', inputs: ['inputs_embeds', 'attention_mask', 'position_ids'], outputs: [] },
    lm_head: { file: 'onnx/lm_head.onnx', inputs: [], outputs: ['logits'] },
    gen_head: { file: 'onnx/gen_head.onnx', inputs: [], outputs: ['logits'] },
    gen_img_embeds: { file: 'onnx/gen_img_embeds.onnx', inputs: ['image_ids'], outputs: ['inputs_embeds'] },
    image_decode: { file: 'onnx/image_decode.onnx', inputs: ['generated_tokens'], outputs: ['decoded_image'] },
  },
  heads: { text: 'lm_head', image: 'gen_head' },
};

/** The most graphs a table may declare (six roles and a few extra heads). */
export const MAX_JANUS_GRAPHS = 16;

/** The declaration of a role or head; the table was checked (checkJanusSessionTable), so it is there. */
export function janusGraph(table: JanusSessionTable, name: string): JanusGraphDeclaration {
  const graph = table.graphs[name];
  if (graph === undefined) throw new ModelFileError('session table', name, `one of ${Object.keys(table.graphs).join(', ')}`);
  return graph;
}

/**
 * Checks a table's shape and connections (no file is opened): every role and both heads declared,
 * each list of its role's length, embedders feeding the language model's embeddings input, heads
 * taking the language model's hidden state. `source` names where the table came from.
 */
export function checkJanusSessionTable(table: JanusSessionTable, source: string): void {
  const names = Object.keys(table.graphs);
  const fail = (what: string, got: unknown, expected: string, message: string): never => {
    throw new ModelFileError(what, got, expected, `${source}: ${message}`);
  };
  for (const role of JANUS_ROLES) {
    if (table.graphs[role] === undefined) fail(`sessions.${role}`, undefined, 'a declared graph', `the session table lacks the ${role} graph (declared: ${names.join(', ')})`);
  }
  for (const modality of ['text', 'image'] as const) {
    const head = table.heads[modality];
    if (table.graphs[head] === undefined || (JANUS_ROLES as readonly string[]).includes(head)) {
      fail(`heads.${modality}`, head, `a head graph of the table (${headCandidates(names).join(', ') || 'none'})`,
        `heads.${modality} names "${head}", which the session table does not declare as a head (its graphs: ${names.join(', ')}); declare it under sessions with file, inputs and outputs`);
    }
  }
  // One graph cannot give both the text ids and the image codes (lm_head and gen_head differ in width);
  // it would also be opened twice and one session never released.
  if (table.heads.text === table.heads.image) {
    fail('heads', table.heads, 'two different head graphs',
      `heads.text and heads.image both name "${table.heads.text}"; the text head (lm_head) and the image head (gen_head) are separate graphs`);
  }
  const extra = names.filter((name) => !(JANUS_ROLES as readonly string[]).includes(name) && name !== table.heads.text && name !== table.heads.image);
  if (extra.length > 0) {
    fail('sessions', extra, `the roles ${JANUS_ROLES.join(', ')} and the graphs heads names`,
      `graph${extra.length > 1 ? 's' : ''} ${extra.join(', ')} ha${extra.length > 1 ? 've' : 's'} no role: a graph is one of ${JANUS_ROLES.join(', ')} or a head named by heads.text / heads.image`);
  }
  const count = (name: string, role: keyof typeof JANUS_ROLE_IO, side: 'inputs' | 'outputs'): void => {
    const list = janusGraph(table, name)[side];
    const meaning = JANUS_ROLE_IO[role][side] as readonly string[];
    const optional = meaning.length === 1 && (meaning[0] as string).endsWith('(optional)');
    if (list.length !== meaning.length && !(optional && list.length === 0)) {
      fail(`sessions.${name}.${side}`, list, `${meaning.length} name${meaning.length > 1 ? 's' : ''}: ${meaning.join(', ')}`,
        `${name}.${side} lists ${list.length} name${list.length === 1 ? '' : 's'} (${list.join(', ') || 'none'}); its role takes ${optional ? 'at most ' : ''}${meaning.length}: ${meaning.join(', ')}`);
    }
  };
  for (const role of JANUS_ROLES) {
    count(role, role, 'inputs');
    count(role, role, 'outputs');
  }
  for (const head of [table.heads.text, table.heads.image]) {
    count(head, 'head', 'inputs');
    count(head, 'head', 'outputs');
  }
  const embeddings = janusGraph(table, 'language_model').inputs[0] as string;
  for (const embedder of ['prepare_inputs_embeds', 'gen_img_embeds'] as const) {
    const output = janusGraph(table, embedder).outputs[0];
    if (output !== embeddings) {
      fail(`sessions.${embedder}.outputs`, output, `"${embeddings}" (language_model's embeddings input)`,
        `${embedder}'s output "${output}" does not feed language_model, whose embeddings input is "${embeddings}" (graphs connect by name)`);
    }
  }
  const hidden = janusGraph(table, 'language_model').outputs[0];
  for (const head of [table.heads.text, table.heads.image]) {
    const input = janusGraph(table, head).inputs[0];
    if (hidden !== undefined && input !== undefined && input !== hidden) {
      fail(`sessions.${head}.inputs`, input, `"${hidden}" (language_model's hidden-state output)`,
        `${head}'s input "${input}" is not language_model's hidden-state output "${hidden}" (graphs connect by name)`);
    }
  }
}

function headCandidates(names: readonly string[]): string[] {
  return names.filter((name) => !(JANUS_ROLES as readonly string[]).includes(name));
}
