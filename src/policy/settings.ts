import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { InputError } from '../errors.js';
import { readDataFile } from './datafile.js';
import { packageRoot } from '../paths.js';

let validator: ValidateFunction | undefined;

/**
 * Checks an organisation settings document (data.cipa.settings: approved services, module sources, required
 * tags, severity overrides) against schemas/settings.schema.json. Every key is optional: a file overrides only
 * what it names.
 */
export function validateSettings(value: unknown, file: string): void {
  validator ??= new Ajv2020({ allErrors: false, strict: false }).compile(
    JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'settings.schema.json'), 'utf8')) as object,
  );
  if (!validator(value)) {
    const error = validator.errors?.[0];
    const where = error?.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'settings';
    const extra = error?.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : '';
    throw new InputError(file, `${where} ${error?.message ?? 'is invalid'}${extra}`, 'see docs/settings.md');
  }
}

/** Reads an organisation settings file and checks it against the schema. */
export async function readSettingsFile(file: string): Promise<unknown> {
  const value = await readDataFile(file);
  validateSettings(value, file);
  return value;
}
