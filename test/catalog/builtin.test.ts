import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { listControls, renderControlsJson, renderControlsMarkdown } from '../../src/catalog/index.js';
import { BundleError } from '../../src/errors.js';
import { builtinBundlePath } from '../../src/evaluate.js';
import { ROOT } from '../support/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'cipa-catalog-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface MetadataSchema {
  required: string[];
  properties: Record<string, object> & { custom: { required: string[]; properties: Record<string, object> } };
}

/**
 * The schema of one `cipa controls -f json` entry, derived from schemas/control-metadata.schema.json: the
 * annotation's title and description plus every `custom` field, flattened, with the same types and patterns;
 * `frameworks` and `package` always present; nothing else.
 */
function controlJsonSchema(): object {
  const meta = JSON.parse(readFileSync(join(ROOT, 'schemas', 'control-metadata.schema.json'), 'utf8')) as MetadataSchema;
  const { custom, ...top } = meta.properties;
  return {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: [...meta.required.filter((k) => k !== 'custom'), ...custom.required, 'frameworks', 'package'],
      properties: { ...top, ...custom.properties, package: { type: 'string', pattern: '^[a-z0-9_]+(\\.[a-z0-9_]+)+$' } },
    },
  };
}

/** The catalog exactly as the built-in bundle's data.json holds it, read without the library under test. */
async function bundleCatalog(path: string): Promise<Record<string, { id: string }>> {
  const bundle = await readBundle(path);
  const data = JSON.parse(bundle.files.get('data.json')!.toString('utf8')) as { cipa: { catalog: { controls: Record<string, { id: string }> } } };
  return data.cipa.catalog.controls;
}

describe('the built-in bundle', () => {
  it('exists (rebuild it with `npm run build:bundle`)', () => {
    expect(existsSync(builtinBundlePath()), builtinBundlePath()).toBe(true);
  });

  it('lists every control of its catalog, once, sorted by id', async () => {
    const { controls, bundle } = await listControls();
    const catalog = await bundleCatalog(builtinBundlePath());
    expect(controls.map((c) => c.id).sort()).toEqual(Object.values(catalog).map((c) => c.id).sort());
    expect(new Set(controls.map((c) => c.package))).toEqual(new Set(Object.keys(catalog)));
    expect(controls.map((c) => c.id)).toEqual([...controls.map((c) => c.id)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    expect(bundle.name).toBe('cipa');
    expect(bundle.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('prints JSON that the METADATA schema accepts, every field of every control present', async () => {
    const { controls } = await listControls();
    const json = JSON.parse(renderControlsJson(controls)) as Array<Record<string, unknown>>;
    const validate = new Ajv({ allErrors: true, strict: true }).compile(controlJsonSchema());
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    expect(json).toHaveLength(controls.length);
    for (const entry of json) {
      for (const key of ['id', 'title', 'description', 'severity', 'frameworks', 'aliases', 'remediation', 'resource_types', 'package']) {
        expect(entry, `${String(entry.id)} ${key}`).toHaveProperty(key);
      }
    }
  });

  it('the derived schema has teeth: a control without remediation, or with an unknown field, is refused', () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(controlJsonSchema());
    const ok = { id: 'CIPA-AWS-X-01', title: 'Xyz', description: 'Xyz', severity: 'low', frameworks: {}, aliases: [], remediation: 'Do the thing.', resource_types: ['t'], package: 'cipa.controls.aws.x' };
    expect(validate([ok])).toBe(true);
    const { remediation: _dropped, ...noRemediation } = ok;
    expect(validate([noRemediation])).toBe(false);
    expect(validate([{ ...ok, file: 'x.rego' }])).toBe(false);
    expect(validate([{ ...ok, severity: 'severe' }])).toBe(false);
  });

  it('docs/controls.md is what renderControlsMarkdown makes of it (regenerate: npm run build:bundle, then npm run docs:controls)', async () => {
    const committed = readFileSync(join(ROOT, 'docs', 'controls.md'), 'utf8');
    const fresh = renderControlsMarkdown((await listControls()).controls);
    expect(committed === fresh, 'docs/controls.md is stale: run `npm run docs:controls`').toBe(true);
  });
});

describe('listControls on other bundles', () => {
  async function withCatalog(name: string, edit: (controls: Record<string, Record<string, unknown>>) => void): Promise<string> {
    const bundle = await readBundle(builtinBundlePath());
    const data = JSON.parse(bundle.files.get('data.json')!.toString('utf8')) as { cipa: { catalog: { controls: Record<string, Record<string, unknown>> } } };
    edit(data.cipa.catalog.controls);
    const files = new Map(bundle.files);
    files.set('data.json', Buffer.from(JSON.stringify(data)));
    const path = join(tmp, name);
    await writeBundle(files, path);
    return path;
  }

  it('reads a bundle file given by path, with its own catalog', async () => {
    const path = await withCatalog('two.tar.gz', (controls) => {
      for (const key of Object.keys(controls).slice(2)) delete controls[key];
    });
    const { controls, source } = await listControls(path);
    expect(controls).toHaveLength(2);
    expect(source).toBe(path);
  });

  it.each([
    ['an entry without a title', (c: Record<string, Record<string, unknown>>) => delete Object.values(c)[0]!.title, /catalog entry cipa\.controls\.\S+ has no title/],
    ['an unknown severity', (c: Record<string, Record<string, unknown>>) => (Object.values(c)[0]!.severity = 'severe'), /has severity "severe", not one of critical, high, medium, low, info/],
    ['frameworks that are not lists', (c: Record<string, Record<string, unknown>>) => (Object.values(c)[0]!.frameworks = { 'cis-aws-1.4': '2.1.1' }), /has frameworks\.cis-aws-1\.4 that is not a list of strings/],
    ['a duplicate id', (c: Record<string, Record<string, unknown>>) => (Object.values(c)[1]!.id = Object.values(c)[0]!.id), /control id \S+ is declared by both/],
    ['a bad enforced_from', (c: Record<string, Record<string, unknown>>) => (Object.values(c)[0]!.enforced_from = 'soon'), /has an enforced_from that is not a YYYY-MM-DD date/],
  ])('refuses a catalog with %s, naming the bundle and the entry', async (name, edit, message) => {
    const path = await withCatalog(`${name.replace(/\W+/g, '-')}.tar.gz`, edit);
    const error = await listControls(path).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(BundleError);
    expect((error as BundleError).message).toContain(path);
    expect((error as BundleError).message).toMatch(message);
  });
});
