/**
 * Resolves a path a config names against the config file's folder, without `node:path`: the core
 * runs where there is no Node (a browser playground hands it URLs' paths). For an absolute POSIX
 * or Windows `baseDir` it gives what Node's `path.resolve(baseDir, path)` gives on that platform;
 * a relative `baseDir` stays relative (the Node layer passes an absolute one).
 */
export function resolvePath(baseDir: string, path: string): string {
  return WINDOWS_ROOT.test(baseDir) || WINDOWS_ROOT.test(path) ? resolveWindows(baseDir, path) : resolvePosix(baseDir, path);
}

/** `C:\`, `C:/` or a UNC `\\server\share` start. */
const WINDOWS_ROOT = /^(?:[A-Za-z]:[\\/]|\\\\)/;

function resolvePosix(baseDir: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${baseDir}/${path}`;
  const absolute = joined.startsWith('/');
  const parts = normalizeSegments(joined.split('/'), absolute);
  if (absolute) return `/${parts.join('/')}`;
  return parts.length === 0 ? '.' : parts.join('/');
}

function resolveWindows(baseDir: string, path: string): string {
  const split = (value: string): string[] => value.split(/[\\/]+/);
  const root = (value: string): string | undefined => {
    const drive = /^([A-Za-z]:)[\\/]/.exec(value);
    if (drive !== null) return `${drive[1] as string}\\`;
    const unc = /^\\\\([^\\/]+)[\\/]+([^\\/]+)/.exec(value);
    return unc === null ? undefined : `\\\\${unc[1] as string}\\${unc[2] as string}\\`;
  };
  const pathRoot = root(path);
  const baseRoot = root(baseDir) ?? '';
  let from: string;
  let rest: string;
  if (pathRoot !== undefined) {
    from = pathRoot;
    rest = path.slice(pathRoot.length);
  } else if (/^[\\/]/.test(path)) {
    // Rooted on the base's drive (`\data` from `C:\runs` is `C:\data`).
    from = baseRoot;
    rest = path;
  } else {
    from = baseRoot;
    rest = `${baseDir.slice(baseRoot.length)}\\${path}`;
  }
  const parts = normalizeSegments(split(rest), from !== '');
  const joined = parts.join('\\');
  if (from === '') return joined === '' ? '.' : joined;
  return from.startsWith('\\\\') && joined === '' ? from.slice(0, -1) : `${from}${joined}`;
}

/** Drops `.` and empty segments and applies `..` (never above an absolute root). */
function normalizeSegments(segments: readonly string[], absolute: boolean): string[] {
  const out: string[] = [];
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(segment);
  }
  return out;
}
