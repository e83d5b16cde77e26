import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { extname, join } from 'node:path';

/**
 * Whether the machine has a font resvg can load (it finds them in these folders too). Without one
 * resvg draws the chart's text as nothing, silently, so the chart says so instead.
 */

const FONT_DIRS = [
  '/usr/share/fonts', '/usr/local/share/fonts', join(homedir(), '.fonts'), join(homedir(), '.local', 'share', 'fonts'),
  '/Library/Fonts', '/System/Library/Fonts', 'C:\\Windows\\Fonts',
];
const FONT_EXTENSIONS = new Set(['.ttf', '.otf', '.ttc']);

function hasFont(dir: string, depth: number): boolean {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (entry.isFile() && FONT_EXTENSIONS.has(extname(entry.name).toLowerCase())) return true;
    if (entry.isDirectory() && depth > 0 && hasFont(join(dir, entry.name), depth - 1)) return true;
  }
  return false;
}

let found: boolean | undefined;

export function systemFontFound(): boolean {
  found ??= FONT_DIRS.some((dir) => hasFont(dir, 3));
  return found;
}
