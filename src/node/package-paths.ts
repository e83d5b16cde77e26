import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where this package lives, whether it runs from src/ (a clone) or dist/src/ (built, installed):
 * the nearest folder above this file whose package.json is omnidecode's.
 */
function findPackageRoot(start: string): string {
  for (let folder = start; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === 'omnidecode') return folder;
    }
    if (dirname(folder) === folder) throw new Error(`omnidecode: no package.json of omnidecode above ${start}`);
  }
}

const here = dirname(fileURLToPath(import.meta.url));

export const PACKAGE_ROOT = findPackageRoot(here);

/** True when this code is the built JavaScript (dist/src/...), false when it is the TypeScript source. */
export const RUNNING_FROM_BUILD = here.startsWith(join(PACKAGE_ROOT, 'dist'));

/** The shipped plugins, in the form this process can import: dist/plugins (built) or plugins (source). */
export const SHIPPED_PLUGINS_DIR = join(PACKAGE_ROOT, RUNNING_FROM_BUILD ? 'dist/plugins' : 'plugins');

export const DEFAULT_MODEL_DIR = join(PACKAGE_ROOT, 'models', 'default');
