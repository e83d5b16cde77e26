import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Reading the imports of the repository's own sources, for tests that check which layer imports what. */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every .ts file under `folder` (relative to the repo root), as repo-relative paths with '/' separators. */
export function typeScriptFilesUnder(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(?:m|c)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) found.push(repoPath(full));
    }
  };
  walk(resolve(REPO_ROOT, folder));
  return found.sort();
}

export function repoPath(full: string): string {
  return relative(REPO_ROOT, full).split(sep).join('/');
}

export function readSource(file: string): string {
  return readFileSync(resolve(REPO_ROOT, file), 'utf8');
}

export interface SourceImport {
  readonly specifier: string;
  readonly line: number;
}

/** Static imports, re-exports, `import type`, dynamic `import('…')` and `require('…')` of one source text. */
export function importsOf(text: string): SourceImport[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((file) => ({ specifier: file.fileName, line: lineAt(text, file.pos) }));
}

/** Where a relative specifier points, repo-relative; undefined for a package or built-in. */
export function importTarget(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return repoPath(resolve(REPO_ROOT, dirname(file), specifier));
}

/** A Node built-in: `node:fs`, `fs`, `fs/promises`. */
export function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? specifier);
}

export interface GlobalUse {
  readonly name: string;
  readonly line: number;
}

/** Uses of Node's globals in code (not comments or strings): `process.…`, `Buffer.…`, `__dirname`, `__filename`, `require(…)`. */
export function nodeGlobalUses(file: string, text: string): GlobalUse[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const uses: GlobalUse[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && ['process', 'Buffer'].includes(node.expression.text)) {
      uses.push({ name: `${node.expression.text}.${node.name.text}`, line: lineAt(text, node.getStart(source)) });
    } else if (ts.isIdentifier(node) && ['__dirname', '__filename'].includes(node.text)) {
      uses.push({ name: node.text, line: lineAt(text, node.getStart(source)) });
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      uses.push({ name: 'require()', line: lineAt(text, node.getStart(source)) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return uses;
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
