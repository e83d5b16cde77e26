import type { SweepSummary } from './sweep-summary.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

const percent = (value: number | null): string => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);
const fixed = (value: number | null | undefined, digits: number): string => (value === null || value === undefined ? '-' : value.toFixed(digits));

/** summary.md: what ran, one row per setting, then the notes; `chartFile` is shown when it was drawn. */
export function summaryMarkdown(summary: SweepSummary, sweepName: string, chartFile?: string): string {
  const { jobs, run, model } = summary;
  const out: string[] = [`# Sweep ${sweepName}`, ''];
  out.push(`Model \`${model.name}\` (${model.dir}), hash \`${model.hash.slice(0, 16)}\`. ` +
    `${jobs.finished} of ${jobs.planned} jobs finished (one job = one image decoded alone at batch 1), ran by ${run.ranBy.join(', ') || '-'}.`);
  out.push('');
  out.push(run.ran > 0
    ? `This run: ${run.ran} job(s) in ${run.wallSeconds.toFixed(1)} s, ${fixed(run.jobsPerSecond, 2)} jobs/s, on a machine with ${run.cores} cores.`
    : 'This run: no job left to run (every result was already in jobs.jsonl).');
  out.push('');
  out.push(table(
    ['setting', 'grid', 'images', 'class accuracy', 'FID', 'wall ms / image (median)', 'forwards / image'],
    summary.settings.map((setting) => [
      setting.label, setting.path, `${setting.images}/${setting.jobs}`, percent(setting.accuracy), fixed(setting.fid, 1),
      fixed(setting.wallMs?.median, 1), fixed(setting.forwardsPerImage, 1),
    ]),
  ));
  if (chartFile !== undefined) out.push('', `![quality against wall time per image](${chartFile})`);
  out.push('', 'Figures: *class accuracy*: the share of images the evaluation classifier labels as the class their prompt asks for ' +
    '(only prompts that name a class count); *FID*: Fréchet distance between the setting\'s pooled classifier features and the real ' +
    `test set's (${summary.fidReference.count} images, ${summary.fidReference.dimension}-d), lower is closer; *wall*: the decode alone ` +
    '(engine, batch 1; VQ decoding and the classifier excluded), median over the setting\'s images; *forwards*: transformer calls per image ' +
    '(with guidance the conditional and unconditional rows share each call).');
  for (const note of summary.notes) out.push('', `- ${note}`);
  return `${out.join('\n')}\n`;
}
