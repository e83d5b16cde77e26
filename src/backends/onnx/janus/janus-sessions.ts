import { join } from 'node:path';
import type * as ort from 'onnxruntime-node';
import type { SessionOptions } from '../../../core/transformer-backend.ts';
import { createSession } from '../onnx-session.ts';
import { checkGraphNames, isPastInput, type ImplicitNames } from './janus-graph-check.ts';
import { checkJanusGraphFiles } from './janus-session-table-config.ts';
import { janusGraph, type JanusSessionTable } from './janus-session-table.ts';

export interface OpenedJanusGraphs {
  readonly sessions: Readonly<Record<string, ort.InferenceSession>>;
  /** Each graph's file, for messages. */
  readonly paths: Readonly<Record<string, string>>;
}

/** What a graph may have beyond its table entry: the language model its KV cache, a head its hidden state when the table leaves it out. */
function implicitNames(table: JanusSessionTable, graph: string): ImplicitNames {
  if (graph === 'language_model') return { inputs: isPastInput };
  const head = graph === table.heads.text || graph === table.heads.image;
  if (head && janusGraph(table, graph).inputs.length === 0) return { inputs: () => true };
  return {};
}

/**
 * Opens the named graphs of a Janus folder as its session table declares them: every file is
 * checked to exist before any is opened, each opened graph's I/O names against the table; on any
 * failure the sessions already opened are released.
 */
export async function openJanusGraphs(folder: string, table: JanusSessionTable, graphs: readonly string[], options: SessionOptions): Promise<OpenedJanusGraphs> {
  checkJanusGraphFiles(folder, table, graphs);
  const sessions: Record<string, ort.InferenceSession> = {};
  const paths: Record<string, string> = {};
  try {
    for (const graph of graphs) {
      const declared = janusGraph(table, graph);
      const path = join(folder, declared.file);
      paths[graph] = path;
      const session = await createSession(path, options);
      sessions[graph] = session;
      checkGraphNames(graph, path, session, declared, implicitNames(table, graph));
    }
  } catch (error) {
    for (const session of Object.values(sessions)) await session.release();
    throw error;
  }
  return { sessions, paths };
}
