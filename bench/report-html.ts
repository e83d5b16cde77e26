import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Marked, type Tokens } from 'marked';
import type { TopLevelSpec } from 'vega-lite';

/**
 * The report as one self-contained HTML page (bench/results/report.html): the Markdown report's
 * text and tables, with the chart's image replaced by the interactive Vega-Lite chart (tooltips on
 * every point). vega, vega-lite and vega-embed are inlined from node_modules so the page works
 * offline; the static SVG stands in until they run, or if scripts are off.
 */

export interface HtmlChart {
  /** The file the Markdown's image points at; that image becomes the interactive chart. */
  readonly file: string;
  readonly spec: TopLevelSpec;
  readonly svg: string;
}

const require = createRequire(import.meta.url);

/** A library's browser bundle (UMD, sets a global), next to the module its package exports. */
function bundle(pkg: string, file: string): string {
  const source = readFileSync(join(dirname(require.resolve(pkg)), file), 'utf8');
  // The source maps are not shipped inline, so their links would only 404.
  return source.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Text inside <script> ends at the first "</script"; "<\/" is the same string to JavaScript.
const scriptSafe = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1');

const STYLE = `
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0; color: #1f2328; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
table { border-collapse: collapse; margin: 12px 0; display: block; overflow-x: auto; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
tr:nth-child(even) td { background: #fbfbfc; }
code { background: #f0f2f4; padding: 1px 4px; border-radius: 4px; font-size: 90%; }
.chart { overflow-x: auto; margin: 16px 0; }
.chart > svg { max-width: 100%; height: auto; }
#vg-tooltip-element table { display: table; margin: 0; }
`;

export function renderHtml(markdown: string, chart: HtmlChart | undefined): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      // The report is generated text (error messages included): show any raw HTML, never run it.
      html: ({ text }: Tokens.HTML | Tokens.Tag): string => escapeHtml(text),
      image: ({ href, text }: Tokens.Image): string | false =>
        chart !== undefined && href === chart.file ? `<div id="quality-chart" class="chart" role="img" aria-label="${escapeHtml(text)}">${chart.svg}</div>` : false,
    },
  });
  const body = marked.parse(markdown, { async: false });
  const title = /^# (.+)$/m.exec(markdown)?.[1] ?? 'omnidecode benchmark';
  const scripts = chart === undefined ? '' : [
    bundle('vega', 'vega.min.js'),
    bundle('vega-lite', 'vega-lite.min.js'),
    bundle('vega-embed', 'vega-embed.min.js'),
    // JSON with "<" escaped cannot close the script element.
    `vegaEmbed('#quality-chart', ${JSON.stringify(chart.spec).replace(/</g, '\\u003c')}, ` +
      `{ renderer: 'svg', actions: { export: true, source: true, compiled: true, editor: false } }).catch((error) => console.error(error));`,
  ].map((code) => `<script>${scriptSafe(code)}</script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${scripts}
</body>
</html>
`;
}
