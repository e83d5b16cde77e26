/**
 * JSON with every object's keys sorted, so equal options give equal text whatever order they were
 * written or merged in (a job's id hashes it). Arrays keep their order; undefined properties are
 * dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => sortKeys(item));
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(object).sort()) {
    if (object[key] !== undefined) sorted[key] = sortKeys(object[key]);
  }
  return sorted;
}
