import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, isMap, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, describeFsError } from '../errors.js';
import type { Exception } from '../model.js';
import { packageRoot } from '../paths.js';
import type { Severity } from '../severity.js';
import { isCalendarDate } from './exceptions.js';
import { parseFormatSpec, type FormatSpec } from './formats.js';

/** cipa.yaml as validated. Paths (data, source_root) are resolved against the file's directory. */
export interface FileConfig {
  /** The file it came from, as given (for messages). */
  file: string;
  bundle?: string;
  digest?: string;
  fail_on?: Severity;
  warn_on?: Severity;
  only?: string[];
  skip?: string[];
  data?: string[];
  formats?: FormatSpec[];
  source_root?: string;
  exceptions: Exception[];
  /** Line of each exception in the file (same order), so expired or unused ones can be pointed at. */
  exceptionLines: number[];
}

export const DEFAULT_CONFIG_NAMES = ['cipa.yaml', 'cipa.yml'] as const;

let validator: ValidateFunction | undefined;

async function getValidator(): Promise<ValidateFunction> {
  if (validator) return validator;
  const schemaPath = join(packageRoot(), 'schemas', 'cipa-config.schema.json');
  const schema = JSON.parse(await readFile(schemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: true });
  validator = ajv.compile(schema);
  return validator;
}

/**
 * Finds the config to use: `explicit` (from --config) must exist; otherwise cipa.yaml (or cipa.yml) in `cwd` if
 * present; otherwise undefined.
 */
export async function findConfig(cwd: string, explicit?: string): Promise<string | undefined> {
  if (explicit !== undefined) return explicit;
  for (const name of DEFAULT_CONFIG_NAMES) {
    const candidate = join(cwd, name);
    try {
      if ((await stat(candidate)).isFile()) return cwd === '.' || cwd === process.cwd() ? name : candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** Reads, parses and validates a config file. Every problem is a ConfigError `file:line: key.path: problem`. */
export async function loadConfig(file: string): Promise<FileConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: ${describeFsError(error)}`);
  }
  return parseConfig(text, file, await getValidator());
}

/** Parses config text; exported for tests and for callers that already hold the text. */
export async function parseConfigText(text: string, file: string): Promise<FileConfig> {
  return parseConfig(text, file, await getValidator());
}

type PathKey = string | number;

function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? key : `.${key}`;
  }
  return out;
}

function parsePointer(pointer: string): PathKey[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

function lineOf(doc: Document, counter: LineCounter, path: readonly PathKey[], preferKey = false): number {
  // Walk down as far as the path exists, so a missing key reports its parent's line.
  let node: unknown = doc.contents;
  let line = 1;
  const at = (n: unknown) => {
    const range = (n as Node | null)?.range;
    if (range) line = counter.linePos(range[0]).line;
  };
  at(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return (k && typeof k === 'object' && 'value' in k ? k.value : k) === key;
      });
      if (!pair) break;
      at(pair.key);
      if (!preferKey || key !== path[path.length - 1]) at(pair.value ?? pair.key);
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (node === undefined) break;
      at(node);
    } else {
      break;
    }
  }
  return line;
}

function describe(error: ErrorObject): { path: PathKey[]; message: string; key?: boolean } {
  const path = parsePointer(error.instancePath);
  const last = path[path.length - 1];
  switch (error.keyword) {
    case 'required':
      return { path, message: `missing required key ${(error.params as { missingProperty: string }).missingProperty}` };
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      return { path: [...path, extra], message: 'unknown key', key: true };
    }
    case 'pattern':
      if (last === 'expires') return { path, message: 'must match YYYY-MM-DD' };
      if (last === 'digest') return { path, message: 'must be sha256:<64 lowercase hex digits>' };
      if (path[0] === 'formats') return { path, message: 'must be a format name (text, json, sarif, junit, github, gitlab, markdown, html), optionally =path' };
      return { path, message: `must match ${(error.params as { pattern: string }).pattern}` };
    case 'enum':
      return { path, message: `must be one of ${((error.params as { allowedValues: unknown[] }).allowedValues).join(', ')}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    default:
      return { path, message: error.message ?? 'is invalid' };
  }
}

function resolveFrom(base: string, path: string): string {
  return isAbsolute(path) ? path : join(base, path);
}

async function parseConfig(text: string, file: string, validate: ValidateFunction): Promise<FileConfig> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = counter.linePos(first.pos[0]).line;
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${file}:${line}: invalid YAML: ${reason}`);
  }
  const value: unknown = doc.toJS() ?? {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${file}:1: must be a mapping of keys (bundle, fail_on, exceptions, …)`);
  }
  if (!validate(value)) {
    const errors = [...(validate.errors ?? [])];
    // Report the most specific problem first: deepest path, and never ajv's umbrella errors.
    errors.sort((a, b) => b.instancePath.split('/').length - a.instancePath.split('/').length);
    const d = describe(errors[0]!);
    const line = lineOf(doc, counter, d.path, d.key);
    const where = formatPath(d.path);
    throw new ConfigError(`${file}:${line}: ${where === '' ? '' : `${where}: `}${d.message}`);
  }
  const raw = value as Record<string, unknown> & { exceptions?: Exception[]; formats?: string[] };
  (raw.exceptions ?? []).forEach((e, i) => {
    if (!isCalendarDate(e.expires)) {
      const path = ['exceptions', i, 'expires'];
      throw new ConfigError(`${file}:${lineOf(doc, counter, path)}: ${formatPath(path)}: ${e.expires} is not a calendar date`);
    }
  });
  const base = dirname(file);
  const exceptions = raw.exceptions ?? [];
  const config: FileConfig = { file, exceptions, exceptionLines: exceptions.map((_, i) => lineOf(doc, counter, ['exceptions', i])) };
  if (typeof raw.bundle === 'string') config.bundle = raw.bundle;
  if (typeof raw.digest === 'string') config.digest = raw.digest;
  if (raw.fail_on !== undefined) config.fail_on = raw.fail_on as Severity;
  if (raw.warn_on !== undefined) config.warn_on = raw.warn_on as Severity;
  if (Array.isArray(raw.only)) config.only = raw.only as string[];
  if (Array.isArray(raw.skip)) config.skip = raw.skip as string[];
  if (Array.isArray(raw.data)) config.data = (raw.data as string[]).map((p) => resolveFrom(base, p));
  if (typeof raw.source_root === 'string') config.source_root = resolveFrom(base, raw.source_root);
  if (Array.isArray(raw.formats)) {
    config.formats = raw.formats.map((spec, i) => {
      let parsed: FormatSpec;
      try {
        parsed = parseFormatSpec(spec, `formats[${i}]`);
      } catch (error) {
        throw new ConfigError(`${file}:${lineOf(doc, counter, ['formats', i])}: ${(error as Error).message}`);
      }
      return parsed.path === undefined ? parsed : { ...parsed, path: resolveFrom(base, parsed.path) };
    });
  }
  return config;
}
