import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { cipa, ROOT } from '../support/cli.js';

const PLAN = join(ROOT, 'testdata', 'plans', 'snyk__cli__test--fixtures--iac--terraform-plan--tf-plan-v4.json');
const SHARED = join(ROOT, '..', 'shared', 'plans');
const tmp = mkdtempSync(join(tmpdir(), 'cipa-e2e-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'eval-report.schema.json'), 'utf8')) as object;
const validateReport = new Ajv({ allErrors: true, strict: true }).compile(schema);

describe('cipa eval: bad input is one line and exit 2', () => {
  it.each([
    ['a missing file', () => join(tmp, 'nope.json'), /nope\.json: no such file/],
    ['a directory', () => tmp, /is a directory/],
    ['an empty file', () => file('empty.json', ''), /empty\.json: is empty/],
    ['not JSON', () => file('hcl.json', 'resource "x" "y" {}\n'), /hcl\.json: is not JSON/],
    ['truncated JSON', () => file('cut.json', readFileSync(PLAN, 'utf8').slice(0, 5000)), /cut\.json: is not valid JSON: it ends early/],
    ['broken JSON', () => file('broken.json', '{"format_version": "1.2",\n "resource_changes": [}\n'), /broken\.json: is not valid JSON at line 2, column 23/],
    ['not a plan', () => file('other.json', '{"hello": "world"}'), /other\.json: is not a Terraform plan: no format_version/],
    ['a state file', () => file('state.json', '{"format_version": "1.0", "values": {}}'), /state\.json: is not a Terraform plan: no resource_changes \(this looks like a state file/],
    ['a future format_version', () => file('future.json', '{"format_version": "2.0", "resource_changes": []}'), /future\.json: unsupported plan format_version 2\.0/],
  ])('%s', async (_name, path, message) => {
    const r = await cipa(['eval', path()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['eval'], /plans/],
    [['eval', PLAN, '--fail-on', 'severe'], /fail-on/],
    [['eval', PLAN, '--only', 'CIPA-NOPE-01'], /no control matches CIPA-NOPE-01/],
    [['eval', '-', '-'], /standard input \(-\) can be read only once/],
    [['eval', PLAN, '--bundle', join(tmp, 'missing.tar.gz')], /missing\.tar\.gz/],
  ])('usage error %j', async (args, message) => {
    const r = await cipa(args);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});

describe('cipa eval: the gate', () => {
  it('reads a plan from standard input like a file', async () => {
    const fromFile = await cipa(['eval', PLAN, '-f', 'json']);
    const fromStdin = await cipa(['eval', '-', '-f', 'json'], { input: readFileSync(PLAN) });
    expect(fromStdin.code).toBe(fromFile.code);
    const a = JSON.parse(fromFile.stdout) as { findings: unknown[] };
    const b = JSON.parse(fromStdin.stdout) as { findings: Array<{ plan: string }> };
    expect(b.findings.map((f) => ({ ...f, plan: PLAN }))).toEqual(a.findings);
  });

  it('reads UTF-16 plans as PowerShell writes them', async () => {
    const utf16 = file('ps.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(PLAN, 'utf8'), 'utf16le')]));
    const a = JSON.parse((await cipa(['eval', PLAN, '-f', 'json'])).stdout) as { summary: unknown };
    const b = JSON.parse((await cipa(['eval', utf16, '-f', 'json'])).stdout) as { summary: unknown };
    expect(b.summary).toEqual(a.summary);
  });

  it('fails (exit 1) at the threshold and passes below it', async () => {
    const low = await cipa(['eval', PLAN, '--fail-on', 'low', '-f', 'json']);
    expect(low.code).toBe(1);
    expect((JSON.parse(low.stdout) as { summary: { result: string } }).summary.result).toBe('fail');
    const report = JSON.parse(low.stdout) as { findings: Array<{ severity: string; status: string }> };
    const critical = report.findings.some((f) => f.severity === 'critical' && f.status === 'fail');
    const def = await cipa(['eval', PLAN]);
    expect(def.code).toBe(critical ? 1 : 0);
  });

  it('--only and --skip select controls', async () => {
    const only = JSON.parse((await cipa(['eval', PLAN, '-f', 'json', '--only', 'CIPA-AWS-S3-01'])).stdout) as { findings: Array<{ control: string }> };
    expect(only.findings.length).toBeGreaterThan(0);
    expect(new Set(only.findings.map((f) => f.control))).toEqual(new Set(['CIPA-AWS-S3-01']));
    const skip = JSON.parse((await cipa(['eval', PLAN, '-f', 'json', '--skip', 'CIPA-AWS-S3-01'])).stdout) as { findings: Array<{ control: string }> };
    expect(skip.findings.some((f) => f.control === 'CIPA-AWS-S3-01')).toBe(false);
  });

  it('writes the report atomically to --output-file and keeps stdout clean', async () => {
    const out = join(tmp, 'out', 'report.json');
    const r = await cipa(['eval', PLAN, '-f', 'json', '--output-file', out]);
    expect(r.stdout).toBe('');
    expect(validateReport(JSON.parse(readFileSync(out, 'utf8')))).toBe(true);
    expect(readdirSync(join(tmp, 'out'))).toEqual(['report.json']);
  });

  it('waives findings by exceptions given as bundle data (--data), reports them, and never fails on them', async () => {
    const settings = file('exceptions.yaml', [
      'exceptions:',
      '  - {control: "CIPA-AWS-*", resource: "**", owner: sec-team, reason: accepted for the test, expires: "2099-12-31"}',
      '  - {control: CIPA-AWS-S3-01, resource: aws_s3_bucket.gone, owner: sec-team, reason: stale, expires: "2099-12-31"}',
      '  - {control: CIPA-AWS-S3-01, resource: "**", owner: sec-team, reason: ran out, expires: "2001-01-01"}',
    ].join('\n'));
    const r = await cipa(['eval', PLAN, '-f', 'json', '--fail-on', 'low', '--data', settings]);
    const report = JSON.parse(r.stdout) as { findings: Array<{ control: string; status: string; exception?: { owner: string } }>; exceptions?: { expired: unknown[]; stale: unknown[] } };
    const aws = report.findings.filter((f) => f.control.startsWith('CIPA-AWS-'));
    expect(aws.length).toBeGreaterThan(0);
    expect(aws.every((f) => f.status === 'waived' && f.exception?.owner === 'sec-team')).toBe(true);
    expect(report.exceptions?.expired).toHaveLength(1);
    expect(report.exceptions?.stale).toHaveLength(1);
    expect(r.code).toBe(report.findings.some((f) => f.status === 'fail') ? 1 : 0);
    const bad = file('bad-exceptions.yaml', 'exceptions:\n  - {control: X, resource: y, reason: r, expires: "2099-12-31"}\n');
    const refused = await cipa(['eval', PLAN, '--data', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bad-exceptions\.yaml: exceptions\.0 must have required property 'owner'/);
  });

  it('colours only when asked, and never with NO_COLOR', async () => {
    const forced = await cipa(['eval', PLAN], { env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\u001b[');
    const both = await cipa(['eval', PLAN], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(both.stdout).not.toContain('\u001b[');
    const piped = await cipa(['eval', PLAN]);
    expect(piped.stdout).not.toContain('\u001b[');
  });
});

const shared = existsSync(SHARED) ? readdirSync(SHARED).filter((f) => f.endsWith('.json')).sort() : [];

describe('cipa eval on every real plan: exit 0 or 1, and a report that validates', () => {
  it('has the shared plans', () => expect(shared.length).toBeGreaterThanOrEqual(40));
  it.each(shared)('%s', async (name) => {
    const r = await cipa(['eval', join(SHARED, name), '-f', 'json']);
    expect([0, 1], r.stderr).toContain(r.code);
    const report = JSON.parse(r.stdout) as unknown;
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  });
});
