import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface LockEntry { dev?: boolean; devOptional?: boolean; [key: string]: unknown }
interface Lockfile { packages: Record<string, LockEntry> }
interface Manifest { version: string; license: string; dependencies: Record<string, string>; bin: Record<string, string>; engines: Record<string, string> }

/** Runs a command, failing with its output (not just the exit code) when it fails. */
export function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${failure.stdout ?? ''}\n${failure.stderr ?? failure.message}`);
  }
}

/**
 * `npm pack` of this checkout (its prepack builds dist/), installed into a new project without the
 * network: the project's lockfile is ours, minus the dev dependencies, plus the tarball, so
 * `npm ci --offline` finds every dependency in the npm cache that our own `npm ci` filled.
 */
export function installPackedPackage(): { project: string; tarball: string } {
  const work = mkdtempSync(join(tmpdir(), 'omnidecode-pack-'));
  run('npm', ['pack', '--ignore-scripts=false', '--pack-destination', work], repoRoot);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball in ${work}`);
  const project = join(work, 'project');
  run('mkdir', ['-p', project], work);
  copyFileSync(join(work, tarball), join(project, tarball));
  const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lockfile;
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = { '': { name: 'consumer', version: '1.0.0', dependencies: { omnidecode: spec } } };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.dev === true) continue;
    const { devOptional: _devOptional, ...kept } = entry;
    // npm leaves `resolved` out of some entries; offline, npm ci then asks for the packument. The
    // registry's tarball address (found in the cache by its integrity) needs no network.
    if (kept.resolved === undefined && typeof kept.version === 'string') {
      const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
      kept.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop() ?? name}-${kept.version}.tgz`;
    }
    packages[path] = kept;
  }
  packages['node_modules/omnidecode'] = {
    version: manifest.version, resolved: spec, license: manifest.license, dependencies: manifest.dependencies, bin: manifest.bin, engines: manifest.engines,
  };
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { omnidecode: spec } }, null, 2));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  // ONNXRUNTIME_NODE_INSTALL=skip: what an offline user sets so onnxruntime-node fetches no CUDA files.
  run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], project, { ONNXRUNTIME_NODE_INSTALL: 'skip' });
  return { project, tarball: join(work, tarball) };
}
