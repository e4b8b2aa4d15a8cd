import { ConfigError, UsageError } from '../errors.js';
import type { Exception } from '../model.js';
import { atLeast, type Severity } from '../severity.js';
import { checkFormatSpecs, parseFormatSpec, type FormatSpec } from './formats.js';
import { compileIdGlob } from './glob.js';
import type { FileConfig } from './load.js';

/** Matches `cipa eval`'s documented defaults. */
export const DEFAULT_FAIL_ON: Severity = 'critical';
export const DEFAULT_WARN_ON: Severity = 'low';

/** The `cipa eval` flags that have a config counterpart, as oclif parses them (undefined = not given). */
export interface EvalFlags {
  format?: string[];
  'fail-on'?: Severity;
  'warn-on'?: Severity;
  /** Comma-separated (as the flag takes it) or already a list; entries are ids or globs of ids. */
  only?: string | string[];
  skip?: string | string[];
  bundle?: string;
  data?: string[];
  'source-root'?: string;
}

/** What `cipa eval` runs with. */
export interface EffectiveConfig {
  /** The config file used, if any. */
  file?: string;
  bundle?: string;
  /** Only set when the bundle came from the same place as the pin (a --bundle flag drops the file's digest). */
  digest?: string;
  fail_on: Severity;
  warn_on: Severity;
  only: string[];
  skip: string[];
  data: string[];
  formats: FormatSpec[];
  source_root?: string;
  exceptions: Exception[];
  /** Where each exception is written (`cipa.yaml:14`), same order; empty without a file. */
  exceptionSources: string[];
}

/**
 * Merges cipa.yaml with the flags; a flag given on the command line replaces the file's value (lists are
 * replaced, not appended, so the command line always says exactly what runs). Pure.
 *
 * Defaults: fail_on critical, warn_on low, formats [text]. Throws when warn_on is above fail_on.
 * For the file to count, the command's flags must not have oclif defaults (undefined = not given).
 */
export function mergeConfig(fileConfig: FileConfig | undefined, flags: EvalFlags): EffectiveConfig {
  const file = fileConfig;
  const formats =
    flags.format !== undefined && flags.format.length > 0
      ? flags.format.map((spec) => parseFormatSpec(spec))
      : file?.formats ?? [{ format: 'text' as const }];
  checkFormatSpecs(formats, flags.format !== undefined && flags.format.length > 0 ? '-f' : `${file?.file ?? ''}: formats`);
  const failOn = flags['fail-on'] ?? file?.fail_on ?? DEFAULT_FAIL_ON;
  const warnOn = flags['warn-on'] ?? file?.warn_on ?? DEFAULT_WARN_ON;
  if (!atLeast(failOn, warnOn)) {
    const fromFlags = flags['fail-on'] !== undefined || flags['warn-on'] !== undefined;
    const message = `warn_on (${warnOn}) is above fail_on (${failOn})`;
    const hint = 'warn_on must be at or below fail_on';
    if (fromFlags || file === undefined) throw new UsageError(`--warn-on ${warnOn} is above --fail-on ${failOn}`, hint);
    throw new ConfigError(`${file.file}: ${message}`, hint);
  }
  const pick = (flag: string[] | undefined, fromFile: string[] | undefined) =>
    flag !== undefined && flag.length > 0 ? [...flag] : [...(fromFile ?? [])];
  const ids = (flag: string | string[] | undefined) =>
    flag === undefined ? undefined : (Array.isArray(flag) ? flag : [flag]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  const out: EffectiveConfig = {
    fail_on: failOn,
    warn_on: warnOn,
    only: pick(ids(flags.only), file?.only),
    skip: pick(ids(flags.skip), file?.skip),
    data: pick(flags.data, file?.data),
    formats,
    exceptions: [...(file?.exceptions ?? [])],
    exceptionSources: file ? file.exceptionLines.map((line) => `${file.file}:${line}`) : [],
  };
  if (file !== undefined) out.file = file.file;
  const bundle = flags.bundle ?? file?.bundle;
  if (bundle !== undefined) out.bundle = bundle;
  if (file?.digest !== undefined && (flags.bundle === undefined || flags.bundle === file.bundle)) out.digest = file.digest;
  const sourceRoot = flags['source-root'] ?? file?.source_root;
  if (sourceRoot !== undefined) out.source_root = sourceRoot;
  return out;
}

/**
 * Which controls run: `only` (empty = all) minus `skip`; entries are ids or globs (`CIPA-AWS-*`).
 * `unmatched` lists entries that select no control of the bundle, so the command can reject a typo.
 */
export function controlSelector(only: readonly string[], skip: readonly string[], known: readonly string[]): {
  selected: (id: string) => boolean;
  unmatched: string[];
} {
  const onlyM = only.map((p) => ({ p, m: compileIdGlob(p) }));
  const skipM = skip.map((p) => ({ p, m: compileIdGlob(p) }));
  const unmatched = [...onlyM, ...skipM].filter(({ m }) => !known.some((id) => m(id))).map(({ p }) => p);
  return {
    selected: (id) => (onlyM.length === 0 || onlyM.some(({ m }) => m(id))) && !skipM.some(({ m }) => m(id)),
    unmatched,
  };
}
