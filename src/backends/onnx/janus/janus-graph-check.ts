import { ModelFileError } from '../../../core/errors.ts';
import type { JanusGraphDeclaration } from './janus-session-table.ts';

/** The I/O of an opened graph: what onnxruntime reports for it. */
export interface GraphNames {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

/** Names a graph has beyond its declared lists without the table listing them (the KV cache, the hidden state). */
export interface ImplicitNames {
  readonly inputs?: (name: string) => boolean;
  readonly outputs?: (name: string) => boolean;
}

/**
 * Checks an opened graph against its session-table entry: every declared input and output exists,
 * and the graph takes no input the table does not declare (nothing would feed it). Errors name the
 * graph, its file, the name and the declared ones.
 */
export function checkGraphNames(graph: string, path: string, session: GraphNames, declared: JanusGraphDeclaration, implicit: ImplicitNames = {}): void {
  const fail = (side: 'input' | 'output', name: string, message: string, list: readonly string[]): never => {
    throw new ModelFileError(`${graph} ${side}`, name, `${side}s ${list.join(', ') || 'none'} (the session table)`, `${path}: graph ${graph} ${message}`);
  };
  for (const name of declared.inputs) {
    if (!session.inputNames.includes(name)) {
      fail('input', name, `has no input "${name}" (its inputs: ${session.inputNames.join(', ') || 'none'}); the session table declares ${declared.inputs.join(', ')}`, declared.inputs);
    }
  }
  for (const name of session.inputNames) {
    if (!declared.inputs.includes(name) && !(implicit.inputs?.(name) ?? false)) {
      fail('input', name, `takes input "${name}", which the session table does not declare (declared: ${declared.inputs.join(', ') || 'none'}); nothing would feed it`, declared.inputs);
    }
  }
  for (const name of declared.outputs) {
    if (!session.outputNames.includes(name)) {
      fail('output', name, `has no output "${name}" (its outputs: ${session.outputNames.join(', ') || 'none'}); the session table declares ${declared.outputs.join(', ')}`, declared.outputs);
    }
  }
}

const PAST = /^past_key_values\.\d+\.(key|value)$/u;

/** The language model's KV-cache inputs (past_key_values.{i}.key|value), fed by the backend, not listed in the table. */
export function isPastInput(name: string): boolean {
  return PAST.test(name);
}

/**
 * The hidden-state name: the table's, or when it leaves it to the files, the language model's one
 * output besides present.* (transformers.js feeds the heads from the language model's outputs by
 * name, so the files agree on it whatever it is). Each head must take exactly it.
 */
export function hiddenStateName(
  lmPath: string, lm: GraphNames, declared: string | undefined, heads: readonly { readonly graph: string; readonly path: string; readonly session: GraphNames }[],
): string {
  const outputs = lm.outputNames.filter((name) => !name.startsWith('present.'));
  const name = declared ?? (outputs.length === 1 ? outputs[0] : undefined);
  if (name === undefined) {
    throw new ModelFileError('language_model outputs', outputs, 'one hidden-state output besides present.* (or name it in the session table)',
      `${lmPath}: expected one hidden-state output besides present.*, found ${outputs.join(', ') || 'none'}; name it in config.json's omnidecode.sessions.language_model.outputs`);
  }
  for (const { graph, path, session } of heads) {
    if (session.inputNames.length !== 1 || session.inputNames[0] !== name) {
      throw new ModelFileError(`${graph} inputs`, session.inputNames, `exactly ${name} (the language model's hidden-state output)`,
        `${path}: graph ${graph} takes ${session.inputNames.join(', ') || 'nothing'}; a head takes exactly "${name}", the language model's hidden-state output`);
    }
  }
  return name;
}
