import { ModelFileError } from '../core/errors.ts';
import type { Transformer } from '../core/transformer.ts';
import { readPositionTable } from './onnx-position-table.ts';

/**
 * Checks config.json's `transformer.maxPositions` against the graph at load. The engine refuses
 * requests longer than maxPositions, so a declared limit above the graph's would let a long
 * request through to a raw onnxruntime Gather error mid-decode. Two checks: the position table's
 * rows, when the graph has a table this can find, then one forward at the last declared position
 * (catches what the table does not show, e.g. an offset added to position_ids).
 */
export async function checkPositionLimit(model: Transformer, transformerPath: string, declared: number, configPath: string): Promise<void> {
  const table = readPositionTable(transformerPath);
  if (table !== undefined && declared > table.rows) {
    throw new ModelFileError('transformer.maxPositions', declared, `at most ${table.rows}`,
      `${configPath}: transformer.maxPositions is ${declared}, but ${transformerPath} embeds only ${table.rows} positions `
      + `(position table "${table.name}" [${table.dims.join(', ')}]); set maxPositions to ${table.rows} or less`);
  }
  const last = declared - 1;
  try {
    const output = await model.forward({
      inputIds: new Int32Array(1), positionIds: new Int32Array([last]), attentionMask: new Uint8Array([1]), batch: 1, length: 1,
    });
    output.present.dispose();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const limit = table === undefined ? '' : ` (its position table "${table.name}" has ${table.rows} rows)`;
    const failure = new ModelFileError('transformer.maxPositions', declared, `a limit ${transformerPath} can embed`,
      `${configPath}: transformer.maxPositions is ${declared}, but ${transformerPath}${limit} fails at position ${last}: ${reason}`);
    failure.cause = error;
    throw failure;
  }
}
