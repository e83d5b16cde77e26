import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { systemFontFound } from './system-fonts.ts';

/**
 * A Vega-Lite spec to SVG and PNG without a browser: vega-lite compiles it to Vega, a headless
 * View (renderer 'none') writes the SVG, and resvg rasterises that SVG with the system's fonts.
 */

export const DEFAULT_PNG_WIDTH = 1600;

export interface RenderedChart {
  readonly svg: string;
  readonly png: Buffer;
  /** Problems that leave the chart usable, e.g. no font for the PNG's text. */
  readonly warnings: readonly string[];
}

export async function renderChart(spec: TopLevelSpec, pngWidth = DEFAULT_PNG_WIDTH): Promise<RenderedChart> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Bitmap width is fixed (not the SVG's) so the PNG's size does not depend on text measurement.
    const png = new Resvg(svg, {
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
