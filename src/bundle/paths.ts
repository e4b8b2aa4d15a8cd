import { BundleError } from '../errors.js';

/**
 * Bundle paths. Inside cipa a bundle path has no leading slash (`.manifest`, `cipa/main/main.rego`), which is also
 * how signatures name files; inside the tar it is written with one leading `/`, as `opa build` writes it.
 */

/**
 * Normalises a name found in a tar (or given to the writer) to a bundle path and rejects anything unsafe: one
 * leading `/` or `./` is dropped; what remains must be a relative path of clean segments (no empty, `.` or `..`
 * segment, no backslash, no control character, no trailing slash).
 */
export function normalizeBundlePath(name: string, source: string): string {
  let path = name;
  if (path.startsWith('./')) path = path.slice(2);
  else if (path.startsWith('/')) path = path.slice(1);
  const problem = pathProblem(path);
  if (problem) throw new BundleError(`${source}: entry ${JSON.stringify(name)} ${problem}`);
  return path;
}

function pathProblem(path: string): string | undefined {
  if (path === '') return 'has an empty path';
  if (path.startsWith('/')) return 'is an absolute path';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a control character';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.endsWith('/')) return 'ends with a slash';
  for (const segment of path.split('/')) {
    if (segment === '..') return 'escapes the bundle with ..';
    if (segment === '.' || segment === '') return 'has an empty or . path segment';
  }
  return undefined;
}

/** The name written into the tar for a bundle path. */
export function tarName(path: string): string {
  return `/${path}`;
}
