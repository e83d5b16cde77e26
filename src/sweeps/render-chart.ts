import type { TopLevelSpec } from 'vega-lite';
import { OmnidecodeError } from '../core/errors.ts';
import { systemFontFound } from './system-fonts.ts';

/**
 * A Vega-Lite spec to SVG and PNG without a browser: vega-lite compiles it to Vega, a headless
 * View (renderer 'none') writes the SVG, and resvg rasterises that SVG with the system's fonts.
 *
 * vega, vega-lite and @resvg/resvg-js are imported on first use, not at load: they are development
 * dependencies (vega alone pulls in the d3 modules; resvg is a native binary per platform), so an
 * installed omnidecode decodes and sweeps without them and draws the chart only where they are.
 */

export const DEFAULT_PNG_WIDTH = 1600;

/** The packages the chart needs; `npm install` them next to omnidecode to get sweep charts. */
export const CHART_PACKAGES = ['vega', 'vega-lite', '@resvg/resvg-js'] as const;

export interface RenderedChart {
  readonly svg: string;
  readonly png: Buffer;
  /** Problems that leave the chart usable, e.g. no font for the PNG's text. */
  readonly warnings: readonly string[];
}

/** The chart packages could not be imported (not installed, or resvg has no binary for this platform). */
export class ChartPackagesMissingError extends OmnidecodeError {
  constructor(readonly reason: string) {
    super('chart packages', CHART_PACKAGES.join(', '), 'installed',
      `the chart needs ${CHART_PACKAGES.join(', ')} (${reason}); install them with \`npm install ${CHART_PACKAGES.join(' ')}\``);
  }
}

interface ChartModules {
  readonly vega: typeof import('vega');
  readonly vegaLite: typeof import('vega-lite');
  readonly resvg: typeof import('@resvg/resvg-js');
}

/** How a package is imported: `import()` itself; a test hands in one that fails. */
export type ModuleImporter = (name: string) => Promise<unknown>;

const importModule: ModuleImporter = (name) => import(name);

async function chartModules(importer: ModuleImporter): Promise<ChartModules> {
  try {
    const [vega, vegaLite, resvg] = await Promise.all(CHART_PACKAGES.map((name) => importer(name)));
    return { vega: vega as ChartModules['vega'], vegaLite: vegaLite as ChartModules['vegaLite'], resvg: resvg as ChartModules['resvg'] };
  } catch (error) {
    throw new ChartPackagesMissingError((error as Error).message.split('\n')[0] ?? 'import failed');
  }
}

export async function renderChart(spec: TopLevelSpec, pngWidth = DEFAULT_PNG_WIDTH, importer: ModuleImporter = importModule): Promise<RenderedChart> {
  const { vega, vegaLite, resvg } = await chartModules(importer);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Bitmap width is fixed (not the SVG's) so the PNG's size does not depend on text measurement.
    const png = new resvg.Resvg(svg, {
      fitTo: { mode: 'width', value: pngWidth },
      font: { loadSystemFonts: true },
      logLevel: 'off',
    }).render().asPng();
    const warnings = systemFontFound() ? [] : ['no system font found: the PNG chart has no text (install a font package, e.g. Debian fonts-dejavu-core)'];
    return { svg, png, warnings };
  } finally {
    view.finalize();
  }
}
