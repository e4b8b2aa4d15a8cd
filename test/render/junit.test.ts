import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderJunit } from '../../src/render/junit.js';
import { xmlSafe } from '../../src/render/xml.js';
import { NASTY, control, sampleReport } from './fixtures.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  htmlEntities: true,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

type Case = { classname: string; name: string; file: string; line?: string; failure?: { '#text'?: string; message: string; type: string }; skipped?: { message: string } };
type Suite = { name: string; tests: string; failures: string; skipped: string; errors: string; testcase: Case[]; properties: { property: Array<{ name: string; value: string }> } };

function parse(xml: string): { testsuites: { tests: string; failures: string; skipped: string; testsuite: Suite[] } } {
  const valid = XMLValidator.validate(xml);
  expect(valid).toBe(true);
  return parser.parse(xml);
}

describe('junit', () => {
  it('has one suite per control and one testcase per decision, passes included', () => {
    const doc = parse(renderJunit(sampleReport()));
    const suites = doc.testsuites.testsuite;
    expect(suites.map((s) => s.name)).toEqual([
      'CIPA-AWS-CT-01: Title of CIPA-AWS-CT-01',
      'CIPA-AWS-INFO-01: Title of CIPA-AWS-INFO-01',
      'CIPA-AWS-S3-01: Title of CIPA-AWS-S3-01',
      'CIPA-AWS-S3-02: Title of CIPA-AWS-S3-02',
      'CIPA-AWS-TAG-01: Title of CIPA-AWS-TAG-01',
    ]);
    expect(doc.testsuites).toMatchObject({ tests: '10', failures: '5', skipped: '2' });
    const s3 = suites.find((s) => s.name.startsWith('CIPA-AWS-S3-01'))!;
    expect(s3).toMatchObject({ tests: '3', failures: '2', skipped: '0', errors: '0' });
    expect(s3.testcase.map((c) => c.name)).toEqual(['aws_s3_bucket.data', 'aws_s3_bucket.site', 'module.logs["eu"].aws_s3_bucket.this[0]']);
    expect(s3.testcase[0]!.failure).toBeUndefined();
    expect(s3.testcase[1]!.failure).toMatchObject({ type: 'critical', message: 'aws_s3_bucket.site has the attribute off' });
    expect(s3.testcase[1]!.failure!['#text']).toContain('Remediation:\nSet the attribute.');
    expect(s3.testcase[1]!.classname).toBe('CIPA-AWS-S3-01');
    expect(s3.properties.property).toEqual(
      expect.arrayContaining([{ name: 'severity', value: 'critical' }, { name: 'framework:nist-800-53', value: 'AC-3' }]),
    );

    const enc = suites.find((s) => s.name.startsWith('CIPA-AWS-S3-02'))!;
    const byName = new Map(enc.testcase.map((c) => [c.name, c]));
    expect(byName.get('aws_s3_bucket.data')!.skipped!.message).toBe('waived by data-team until 2026-12-31: legacy bucket, migrating (SEC-42)');
    expect(byName.get('aws_s3_bucket.site')!.skipped!.message).toMatch(/^unknown: cannot be decided from the plan: /);
    expect(byName.get('aws_s3_bucket.logs')!.skipped).toBeUndefined();
    expect(enc).toMatchObject({ tests: '3', failures: '0', skipped: '2' });

    const info = suites.find((s) => s.name.startsWith('CIPA-AWS-INFO-01'))!;
    expect(info.testcase[0]!.failure!.type).toBe('advisory');
  });

  it('points testcases at the .tf block when located', () => {
    const xml = renderJunit(sampleReport(), { locations: new Map([['aws_s3_bucket.data', { file: 'infra/s3.tf', line: 4 }]]) });
    const suite = parse(xml).testsuites.testsuite.find((s) => s.name.startsWith('CIPA-AWS-S3-01'))!;
    expect(suite.testcase[0]).toMatchObject({ name: 'aws_s3_bucket.data', file: 'infra/s3.tf', line: '4' });
    expect(suite.testcase[1]).toMatchObject({ name: 'aws_s3_bucket.site', file: 'plans/prod.json' });
  });

  it('gives testcases distinct names across plans', () => {
    const report = sampleReport();
    const c = report.controls[0]!;
    report.plans.push({ path: 'plans/dev.json', terraform_version: '1.9.5', resources: 1 });
    report.decisions.push({ control: c.id, resource: 'aws_s3_bucket.site', resource_type: 'aws_s3_bucket', module: '', status: 'pass', severity: c.severity, messages: [], plan: 'plans/dev.json' });
    const suite = parse(renderJunit(report)).testsuites.testsuite.find((s) => s.name.startsWith(c.id))!;
    const names = suite.testcase.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('plans/dev.json: aws_s3_bucket.site');
    expect(names).toContain('plans/prod.json: aws_s3_bucket.site');
  });

  it('escapes hostile strings everywhere and round-trips them through a parser', () => {
    const report = sampleReport();
    const c = control('CIPA-X-01', 'high', { title: NASTY[1]! });
    report.controls.push(c);
    report.findings = [];
    report.decisions = NASTY.map((text, i) => ({
      control: c.id,
      resource: `aws_s3_bucket.n${i}["${text.replace(/["\\]/g, '')}"]`,
      resource_type: 'aws_s3_bucket',
      module: '',
      status: 'fail' as const,
      severity: 'high' as const,
      messages: [text],
      plan: 'p.json',
    }));
    const xml = renderJunit(report);
    expect(xml).not.toContain('<script>');
    const suite = parse(xml).testsuites.testsuite[0]!;
    expect(suite.name).toBe(`CIPA-X-01: ${NASTY[1]}`);
    for (const [i, text] of NASTY.entries()) {
      const t = suite.testcase.find((x) => x.name.startsWith(`aws_s3_bucket.n${i}[`))!;
      expect(t.failure!.message).toBe(xmlSafe(text));
      expect(t.failure!['#text']!.startsWith(xmlSafe(text).replace(/\r\n?/g, '\n'))).toBe(true);
    }
  });

  it('any string survives as a message (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const report = sampleReport();
        report.findings = [];
        report.decisions = [{ control: 'C', resource: 'a.b', resource_type: 'a', module: '', status: 'fail', severity: 'low', messages: [text], plan: 'p' }];
        report.controls = [];
        const xml = renderJunit(report);
        if (XMLValidator.validate(xml) !== true) return false;
        const doc = parse(xml);
        return doc.testsuites.testsuite[0]!.testcase[0]!.failure!.message === xmlSafe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('renders an empty report as an empty, valid document', () => {
    const report = sampleReport();
    report.findings = [];
    report.decisions = [];
    const xml = renderJunit(report);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain('<testsuites name="cipa" tests="0" failures="0" errors="0" skipped="0" time="0">');
  });
});
