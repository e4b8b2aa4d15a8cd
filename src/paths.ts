import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The installed package's root (holds rego/, bundles/, schemas/), whether running from dist/ or src/. */
export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/**
 * A path as the user would type it from the working directory: relative when that is short, absolute when the
 * relative form would climb three or more levels (a fixture under /tmp seen from a deep checkout).
 */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, file);
  return rel === '' ? '.' : rel.startsWith(`..${sep}..${sep}..`) ? file : rel;
}
