import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginError } from '../core/errors.ts';
import { isShippedPlugin, SHIPPED_PLUGINS, shippedPluginFolder } from './shipped-plugins.ts';

export interface ResolvedPlugin {
  /** What import() is given. */
  readonly specifier: string;
  /** What messages call the plugin: its file or folder, or the shipped name. */
  readonly label: string;
}

const INDEX_FILES = ['index.ts', 'index.mjs', 'index.js'];
const ENTRY_CONDITIONS = ['omnidecode-source', 'import', 'node', 'default'];

/** The `exports["."]` target of a manifest, under the conditions an ESM import in Node uses. */
function exportedEntry(exportsField: unknown): string | undefined {
  let entry: unknown = exportsField;
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry) && '.' in entry) entry = (entry as Record<string, unknown>)['.'];
  for (let depth = 0; depth < 8 && entry !== null && typeof entry === 'object' && !Array.isArray(entry); depth++) {
    const conditions = entry as Record<string, unknown>;
    const match = ENTRY_CONDITIONS.find((condition) => condition in conditions);
    if (match === undefined) return undefined;
    entry = conditions[match];
  }
  return typeof entry === 'string' ? entry : undefined;
}

/** A plugin folder's entry file: package.json's exports or main first, then index.ts/.mjs/.js. */
function folderEntry(folder: string, label: string): string {
  const manifestPath = join(folder, 'package.json');
  if (existsSync(manifestPath)) {
    let manifest: { exports?: unknown; main?: unknown };
    try {
      manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports?: unknown; main?: unknown };
    } catch (error) {
      throw new PluginError(label, `${manifestPath} is not valid JSON (${(error as Error).message})`);
    }
    const named = exportedEntry(manifest.exports) ?? (typeof manifest.main === 'string' ? manifest.main : undefined);
    if (named !== undefined) {
      const entry = resolve(folder, named);
      if (!existsSync(entry) || !statSync(entry).isFile()) {
        throw new PluginError(label, `package.json names ${JSON.stringify(named)} as its entry, but ${entry} is not a file`);
      }
      return entry;
    }
  }
  for (const name of INDEX_FILES) {
    const candidate = join(folder, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new PluginError(label, `a plugin folder needs a package.json with "exports" or "main", or one of ${INDEX_FILES.join(', ')}`);
}

/** node_modules/<name> seen from baseDir upwards, as Node's resolution would find it. */
function findInstalledPackage(name: string, baseDir: string): string | undefined {
  for (let folder = resolve(baseDir); ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

const PACKAGE_NAME = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;

/**
 * A plugin as named by the user -> what to import. In order: a path (starts with . or /), a shipped
 * plugin's name (halton, threshold, ...), an npm package installed where the config or command is.
 * Node built-in module names are refused: a plugin runs with the user's permissions, and `fs` is no plugin.
 */
export function resolvePluginSpecifier(spec: string, baseDir: string): ResolvedPlugin {
  if (typeof spec !== 'string' || spec.trim() === '') throw new PluginError(String(spec), 'a plugin is a path, a shipped plugin name or a package name; got an empty name');
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || isAbsolute(spec);
  if (looksLikePath) {
    const full = resolve(baseDir, spec);
    if (!existsSync(full)) throw new PluginError(full, `no such file or folder (from "${spec}", relative to ${baseDir})`);
    const entry = statSync(full).isDirectory() ? folderEntry(full, full) : full;
    return { specifier: pathToFileURL(entry).href, label: full };
  }
  if (spec.startsWith('node:') || builtinModules.includes(spec)) {
    throw new PluginError(spec, `"${spec}" is a Node built-in module, not a plugin; shipped plugins: ${Object.keys(SHIPPED_PLUGINS).join(', ')}`);
  }
  if (isShippedPlugin(spec)) {
    return { specifier: pathToFileURL(folderEntry(shippedPluginFolder(spec), spec)).href, label: `${spec} (shipped)` };
  }
  if (!PACKAGE_NAME.test(spec)) {
    throw new PluginError(spec, `not a path (./x, /x), a shipped plugin (${Object.keys(SHIPPED_PLUGINS).join(', ')}) or an npm package name`);
  }
  const installed = findInstalledPackage(spec, baseDir);
  if (installed === undefined) {
    throw new PluginError(spec, `no shipped plugin of that name (${Object.keys(SHIPPED_PLUGINS).join(', ')}) and no package "${spec}" installed in node_modules above ${baseDir}`);
  }
  return { specifier: pathToFileURL(folderEntry(installed, spec)).href, label: spec };
}
