import { UsageError } from '../errors.js';

/** Every report format cipa can write (the renderer registry in src/render/index.ts holds one per name). */
export const FORMAT_NAMES = ['text', 'json', 'sarif', 'junit', 'github', 'gitlab', 'markdown', 'html'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface FormatSpec {
  format: FormatName;
  /** Where to write it; undefined means stdout. */
  path?: string;
}

export function isFormatName(value: string): value is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(value);
}

/** Parses one `-f` value (or one `formats:` entry): `name` or `name=path`. */
export function parseFormatSpec(spec: string, source = '-f'): FormatSpec {
  const eq = spec.indexOf('=');
  const name = (eq < 0 ? spec : spec.slice(0, eq)).trim();
  const path = eq < 0 ? undefined : spec.slice(eq + 1).trim();
  if (!isFormatName(name)) {
    throw new UsageError(`${source}: unknown format ${JSON.stringify(name)}`, `one of ${FORMAT_NAMES.join(', ')}`);
  }
  if (path !== undefined && path === '') throw new UsageError(`${source}: ${name}= needs a file path`);
  return path === undefined ? { format: name } : { format: name, path };
}

/** At most one format may go to stdout, and no two to the same file. */
export function checkFormatSpecs(specs: readonly FormatSpec[], source = '-f'): void {
  const stdout = specs.filter((s) => s.path === undefined);
  if (stdout.length > 1) {
    throw new UsageError(
      `${source}: ${stdout.map((s) => s.format).join(' and ')} would both write to stdout`,
      'give all but one a file: -f name=path',
    );
  }
  const seen = new Set<string>();
  for (const s of specs) {
    if (s.path === undefined) continue;
    if (seen.has(s.path)) throw new UsageError(`${source}: two formats write to ${s.path}`);
    seen.add(s.path);
  }
}
