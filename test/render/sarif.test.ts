import { readFileSync } from 'node:fs';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { renderSarif } from '../../src/render/sarif.js';
import { locateResources } from '../../src/render/tf-locate.js';
import { NASTY, control, finding, sampleReport } from './fixtures.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;
const schema = JSON.parse(readFileSync(new URL('../../schemas/sarif-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

type Sarif = {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<Record<string, any>> } };
    results: Array<Record<string, any>>;
  }>;
};

function valid(text: string): Sarif {
  const log = JSON.parse(text) as Sarif;
  const ok = validate(log);
  expect(ok ? [] : validate.errors).toEqual([]);
  return log;
}

describe('sarif', () => {
  it('the vendored schema is the official SARIF 2.1.0 schema and rejects a broken log', () => {
    expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, level: 'fatal' }] }] })).toBe(false);
  });

  it('validates, with one rule per control carrying GitHub security-severity', () => {
    const report = sampleReport();
    const log = valid(renderSarif(report, { toolVersion: '0.1.0' }));
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('cipa');
    const rules = run.tool.driver.rules;
    expect(rules.map((r) => r.id)).toEqual(['CIPA-AWS-CT-01', 'CIPA-AWS-INFO-01', 'CIPA-AWS-S3-01', 'CIPA-AWS-S3-02', 'CIPA-AWS-TAG-01']);
    const s3 = rules.find((r) => r.id === 'CIPA-AWS-S3-01')!;
    expect(s3.name).toBe('CipaAwsS301');
    expect(s3.shortDescription.text).toBe('Title of CIPA-AWS-S3-01');
    expect(s3.fullDescription.text).toBe('Why CIPA-AWS-S3-01 matters.');
    expect(s3.help.text).toContain('Set the attribute.');
    expect(s3.help.markdown).toContain('```hcl');
    expect(s3.help.markdown).toContain('- nist-800-53 AC-3');
    expect(s3.properties.tags).toEqual(expect.arrayContaining(['security', 'cis-aws-1.4', 'nist-800-53']));
    const score = (id: string) => rules.find((r) => r.id === id)!.properties['security-severity'];
    expect([score('CIPA-AWS-S3-01'), score('CIPA-AWS-S3-02'), score('CIPA-AWS-CT-01'), score('CIPA-AWS-TAG-01'), score('CIPA-AWS-INFO-01')]).toEqual([
      '9.5',
      '8.0',
      '5.5',
      '3.0',
      undefined,
    ]);
    // GitHub: over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 3.9 or less low
    expect(Number(score('CIPA-AWS-S3-01'))).toBeGreaterThan(9.0);
    expect(Number(score('CIPA-AWS-S3-02'))).toBeGreaterThanOrEqual(7.0);
    expect(Number(score('CIPA-AWS-S3-02'))).toBeLessThan(9.0);
    expect(Number(score('CIPA-AWS-CT-01'))).toBeGreaterThanOrEqual(4.0);
    expect(Number(score('CIPA-AWS-CT-01'))).toBeLessThan(7.0);
    expect(Number(score('CIPA-AWS-TAG-01'))).toBeLessThan(4.0);
  });

  it('maps statuses to kind, level and suppressions, and points at the plan without a source root', () => {
    const log = valid(renderSarif(sampleReport()));
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(7);
    const by = (rule: string, resource: string) => results.find((r) => r.ruleId === rule && r.properties.resource === resource)!;
    expect(by('CIPA-AWS-S3-01', 'aws_s3_bucket.site')).toMatchObject({ kind: 'fail', level: 'error' });
    expect(by('CIPA-AWS-S3-02', 'aws_s3_bucket.site')).toMatchObject({ kind: 'review', level: 'none' });
    expect(by('CIPA-AWS-CT-01', 'aws_cloudtrail.main')).toMatchObject({ kind: 'fail', level: 'warning' });
    expect(by('CIPA-AWS-INFO-01', 'aws_s3_bucket.site')).toMatchObject({ level: 'note', properties: { advisory: true } });
    const waived = by('CIPA-AWS-S3-02', 'aws_s3_bucket.data');
    expect(waived.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'legacy bucket, migrating',
        properties: { owner: 'data-team', expires: '2026-12-31', control: 'CIPA-AWS-S3-02', resource: 'aws_s3_bucket.data', ticket: 'SEC-42' },
      },
    ]);
    expect(results.filter((r) => r.suppressions).length).toBe(1);
    for (const r of results) {
      expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('plans/prod.json');
      expect(r.locations[0].physicalLocation.region).toBeUndefined();
      expect(log.runs[0]!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    }
    expect(by('CIPA-AWS-S3-01', 'module.logs["eu"].aws_s3_bucket.this[0]').locations[0].logicalLocations[0].fullyQualifiedName).toBe(
      'module.logs["eu"].aws_s3_bucket.this[0]',
    );
  });

  it('fingerprints are stable per control and resource, distinct otherwise, and independent of order and plan', () => {
    const a = valid(renderSarif(sampleReport())).runs[0]!.results;
    const shuffled = sampleReport();
    shuffled.findings.reverse();
    for (const f of shuffled.findings) f.plan = 'other/plan.json';
    const b = valid(renderSarif(shuffled)).runs[0]!.results;
    const key = (r: Record<string, any>) => `${r.ruleId} ${r.properties.resource}`;
    const fa = new Map(a.map((r) => [key(r), r.partialFingerprints['cipa/v1']]));
    const fb = new Map(b.map((r) => [key(r), r.partialFingerprints['cipa/v1']]));
    expect(fb).toEqual(fa);
    expect(new Set(fa.values()).size).toBe(fa.size);
  });

  it('points results at the .tf file and line when locations are given', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cipa-sarif-'));
    await writeFile(join(root, 'main.tf'), '# site\n\nresource "aws_s3_bucket" "site" {\n  bucket = "x"\n}\n\nmodule "logs" {\n  source = "./modules/logs"\n  for_each = toset(["eu"])\n}\n');
    await mkdir(join(root, 'modules', 'logs'), { recursive: true });
    await writeFile(join(root, 'modules', 'logs', 'main.tf'), 'variable "x" {}\n\nresource "aws_s3_bucket" "this" {\n  count = 1\n}\n');
    const report = sampleReport();
    const locations = await locateResources(root, report.findings.map((f) => f.resource));
    const results = valid(renderSarif(report, { locations })).runs[0]!.results;
    const site = results.find((r) => r.properties.resource === 'aws_s3_bucket.site')!;
    expect(site.locations[0].physicalLocation.artifactLocation.uri).toBe(`${root}/main.tf`);
    expect(site.locations[0].physicalLocation.region.startLine).toBe(3);
    const mod = results.find((r) => r.properties.resource === 'module.logs["eu"].aws_s3_bucket.this[0]')!;
    expect(mod.locations[0].physicalLocation.artifactLocation.uri).toMatch(/modules\/logs\/main\.tf$/);
    expect(mod.locations[0].physicalLocation.region.startLine).toBe(3);
    const unplaced = results.find((r) => r.properties.resource === 'aws_s3_bucket.data')!;
    expect(unplaced.locations[0].physicalLocation.artifactLocation.uri).toBe('plans/prod.json');
  });

  it('stays valid with hostile text everywhere and an empty report', () => {
    const c = control('CIPA-X-01', 'high', { title: NASTY.join(' '), description: NASTY[0]!, remediation: NASTY.join('\n') });
    const report = sampleReport();
    report.controls.push(c);
    for (const [i, text] of NASTY.entries()) {
      report.findings.push(finding(c, `aws_s3_bucket.n${i}`, { message: text, plan: `dir with space/#${i}%.json` }));
    }
    const log = valid(renderSarif(report));
    const result = log.runs[0]!.results.find((r) => r.properties.resource === 'aws_s3_bucket.n0')!;
    expect(result.message.text).toBe('aws_s3_bucket.n0: <script>alert(1)</script>');
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('dir%20with%20space/%230%25.json');
    const empty = sampleReport();
    empty.findings = [];
    empty.controls = [];
    expect(valid(renderSarif(empty)).runs[0]!.results).toEqual([]);
  });
});
