import type { GridEntry } from './sweep-file.ts';

/** One value of one parameter in an expanded setting, with the path the file gave it at. */
export interface GridValue {
  readonly key: string;
  readonly value: unknown;
  /** `grid[0].steps` for a single value, `grid[0].steps[2]` for a list's third. */
  readonly source: string;
}

/** One scheduler setting of the grid, before the registry has seen it. */
export interface GridSetting {
  /** The entry it came from: `grid[0]`. */
  readonly path: string;
  readonly scheduler: string;
  /** In the order the file wrote the parameters. */
  readonly values: readonly GridValue[];
}

/**
 * The cartesian product of an entry's lists, the first parameter varying slowest (so settings come
 * out in reading order: `steps: [4, 8], guidance: [0, 2]` gives 4/0, 4/2, 8/0, 8/2). Each entry is
 * its own product; the grid is the entries' settings one after the other.
 */
export function expandEntry(entry: GridEntry): GridSetting[] {
  let partial: GridValue[][] = [[]];
  for (const parameter of entry.parameters) {
    const next: GridValue[][] = [];
    for (const prefix of partial) {
      parameter.values.forEach((value, index) => {
        const source = parameter.list ? `${entry.path}.${parameter.key}[${index}]` : `${entry.path}.${parameter.key}`;
        next.push([...prefix, { key: parameter.key, value, source }]);
      });
    }
    partial = next;
  }
  return partial.map((values) => ({ path: entry.path, scheduler: entry.scheduler, values }));
}

export function expandGrid(entries: readonly GridEntry[]): GridSetting[] {
  return entries.flatMap((entry) => expandEntry(entry));
}
