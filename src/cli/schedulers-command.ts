import type { SchedulerDefinition } from '../core/scheduler.ts';

function formatDefault(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The text `omnidecode schedulers` prints: every scheduler, where it came from, its parameters. */
export function formatSchedulerList(definitions: readonly SchedulerDefinition[]): string {
  const lines: string[] = [];
  for (const definition of definitions) {
    lines.push(`${definition.name}  [${definition.modalities.join(', ')}]  from ${definition.source ?? 'built-in'}`);
    lines.push(`  ${definition.description}`);
    for (const parameter of definition.parameters.describe()) {
      lines.push(`    ${parameter.name} (${parameter.kind}) = ${formatDefault(parameter.default)}  — ${parameter.constraint}. ${parameter.description}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
