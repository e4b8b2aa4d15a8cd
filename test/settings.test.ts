import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'settings.schema.json'), 'utf8')) as object;
const defaults = JSON.parse(readFileSync(join(ROOT, 'rego', 'cipa', 'settings', 'data.json'), 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);

/** The settings keys (and, below them, the offending entry) the validation errors point at. */
function errorPaths(value: unknown): string[] {
  expect(validate(value), 'expected the settings to be rejected').toBe(false);
  return (validate.errors ?? []).map((e: ErrorObject) => e.instancePath);
}

describe('settings schema', () => {
  it('accepts the shipped defaults', () => {
    expect(validate(defaults), JSON.stringify(validate.errors)).toBe(true);
  });

  it('ships every key the governance controls read, and nothing else', () => {
    expect(Object.keys(defaults).sort()).toEqual([
      'approved_module_sources',
      'approved_services',
      'enforce_approved_services',
      'required_tags',
      'services',
      'severity_overrides',
      'unapproved_services',
    ]);
    expect(defaults.required_tags).toEqual(['owner', 'environment']);
    expect(defaults.enforce_approved_services).toBe(false);
  });

  it('accepts a partial override and keys for an organisation’s own controls', () => {
    const ok = {
      approved_services: ['aws:s3', 'gcp:*'],
      enforce_approved_services: true,
      approved_module_sources: ['app.terraform.io/acme/', './modules/'],
      severity_overrides: { 'CIPA-GOV-04': 'medium' },
      acme_cost_centres: ['cc-1'],
    };
    expect(validate(ok), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each([
    ['a boolean given as a string', { enforce_approved_services: 'yes' }, '/enforce_approved_services'],
    ['a service name without a cloud', { approved_services: ['s3'] }, '/approved_services/0'],
    ['a service map value that is not a service', { services: { aws_s3: 'S3' } }, '/services/aws_s3'],
    ['a service map key that is not a type prefix', { services: { 'AWS S3': 'aws:s3' } }, '/services'],
    ['required tags given as a string', { required_tags: 'owner' }, '/required_tags'],
    ['an empty tag key', { required_tags: ['owner', ''] }, '/required_tags/1'],
    ['a module source with spaces', { approved_module_sources: ['github.com/acme/ x'] }, '/approved_module_sources/0'],
    ['an unknown severity', { severity_overrides: { 'CIPA-GOV-04': 'urgent' } }, '/severity_overrides/CIPA-GOV-04'],
    ['a severity override for something that is not a control id', { severity_overrides: { gov4: 'low' } }, '/severity_overrides'],
  ])('rejects %s and names the key', (_what, value, path) => {
    expect(errorPaths(value)).toContain(path);
  });
});
