#!/usr/bin/env node
// An installed package runs the built JavaScript in dist/. A clone (src/ and the tsx dev dependency
// present) runs the TypeScript sources, so an edit needs no rebuild and a stale dist/ is never used.
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = new URL('..', import.meta.url);

async function loadTsx() {
  try {
    return await import('tsx/esm/api');
  } catch {
    return null;
  }
}

async function loadMain() {
  const sourceMain = new URL('src/cli/main.ts', root);
  const tsx = existsSync(fileURLToPath(sourceMain)) ? await loadTsx() : null;
  if (tsx !== null) {
    // The clone's tsconfig (decorators), whatever folder the command runs from.
    tsx.register({ tsconfig: fileURLToPath(new URL('tsconfig.json', root)) });
    // Plugins import 'omnidecode': resolve it to these sources, not to dist/ (one copy of the classes).
    registerHooks('./source-condition-hooks.mjs', import.meta.url);
    return (await import(sourceMain.href)).main;
  }
  const built = new URL('dist/src/cli/main.js', root);
  if (!existsSync(fileURLToPath(built))) {
    process.stderr.write('omnidecode: dist/ is missing: this copy was packed without its build (run `npm run build`).\n');
    return null;
  }
  return (await import(built.href)).main;
}

const main = await loadMain();
process.exitCode = main === null ? 1 : await main(process.argv);
