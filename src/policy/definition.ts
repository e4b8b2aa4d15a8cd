import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import semver from 'semver';
import { InputError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { readDataFile } from './datafile.js';

export interface BundleDefinition {
  name: string;
  version: string;
  description?: string;
  /** Absolute policy directories. */
  policy: string[];
  /** Absolute settings files. */
  data: string[];
  /** Where the definition was read from. */
  file: string;
}

/** A policy entry naming the installed cipa's built-in control library (rego/), wherever cipa is installed. */
export const BUILTIN_POLICY = 'builtin:';

let validator: ValidateFunction | undefined;

/** Reads and validates a bundle definition (JSON or YAML). Paths inside it are relative to the file. */
export async function readBundleDefinition(file: string): Promise<BundleDefinition> {
  const value = await readDataFile(file);
  validator ??= new Ajv({ allErrors: false, strict: true }).compile(
    JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'bundle-definition.schema.json'), 'utf8')) as object,
  );
  if (!validator(value)) {
    const error = validator.errors?.[0];
    const where = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'the definition';
    throw new InputError(file, `${where} ${error?.message ?? 'is invalid'}${error?.params && 'additionalProperty' in error.params ? `: ${String(error.params.additionalProperty)}` : ''}`);
  }
  const raw = value as { name: string; version: string; description?: string; policy: string[]; data?: string[] };
  if (!semver.valid(raw.version)) throw new InputError(file, `version ${raw.version} is not semver (e.g. 1.4.2)`);
  const base = dirname(resolve(file));
  const definition: BundleDefinition = {
    name: raw.name,
    version: raw.version,
    policy: raw.policy.map((p) => (p === BUILTIN_POLICY ? join(packageRoot(), 'rego') : resolve(base, p))),
    data: (raw.data ?? []).map((p) => resolve(base, p)),
    file,
  };
  if (raw.description !== undefined) definition.description = raw.description;
  return definition;
}
