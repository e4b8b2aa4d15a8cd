import { describe, expect, it } from 'vitest';
import { GITLAB_SEVERITY, renderGitlab } from '../../src/render/gitlab.js';
import { NASTY, control, finding, sampleReport } from './fixtures.js';

// GitLab's documented code quality format: these fields are required on every issue.
const LEVELS = ['info', 'minor', 'major', 'critical', 'blocker'];

function checkIssue(issue: Record<string, any>): void {
  expect(typeof issue.description).toBe('string');
  expect(issue.description.length).toBeGreaterThan(0);
  expect(typeof issue.check_name).toBe('string');
  expect(issue.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  expect(LEVELS).toContain(issue.severity);
  expect(typeof issue.location.path).toBe('string');
  expect(Number.isInteger(issue.location.lines.begin)).toBe(true);
  expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
}

describe('gitlab code quality', () => {
  it('has the required fields, maps severities, leaves out waived findings', () => {
    const issues = JSON.parse(renderGitlab(sampleReport())) as Array<Record<string, any>>;
    expect(Array.isArray(issues)).toBe(true);
    expect(issues).toHaveLength(6);
    issues.forEach(checkIssue);
    expect(issues.map((i) => `${i.check_name}:${i.severity}`)).toEqual([
      'CIPA-AWS-S3-01:blocker',
      'CIPA-AWS-S3-01:blocker',
      'CIPA-AWS-S3-02:critical',
      'CIPA-AWS-CT-01:major',
      'CIPA-AWS-TAG-01:minor',
      'CIPA-AWS-INFO-01:info',
    ]);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(6);
    expect(issues[0]!.location).toEqual({ path: 'plans/prod.json', lines: { begin: 1 } });
    expect(issues[2]!.description).toContain('cannot be decided from the plan');
  });

  it('severity map is monotone over all five GitLab levels', () => {
    expect(Object.values(GITLAB_SEVERITY)).toEqual([...LEVELS].reverse());
  });

  it('keeps fingerprints stable across runs and order, and distinct across plans', () => {
    const a = JSON.parse(renderGitlab(sampleReport())) as Array<Record<string, any>>;
    const r = sampleReport();
    r.findings.reverse();
    const b = JSON.parse(renderGitlab(r)) as Array<Record<string, any>>;
    expect(b.map((i) => i.fingerprint).sort()).toEqual(a.map((i) => i.fingerprint).sort());
    const other = sampleReport();
    for (const f of other.findings) f.plan = 'plans/dev.json';
    const c = JSON.parse(renderGitlab(other)) as Array<Record<string, any>>;
    expect(c.some((i) => a.map((x) => x.fingerprint).includes(i.fingerprint))).toBe(false);
  });

  it('uses .tf locations and survives hostile text', () => {
    const report = sampleReport();
    const c = control('CIPA-X-01', 'high');
    report.findings = NASTY.map((t, i) => finding(c, `aws_s3_bucket.n${i}`, { message: t }));
    const issues = JSON.parse(renderGitlab(report, { locations: new Map([['aws_s3_bucket.n0', { file: 'tf/main.tf', line: 7 }]]) })) as Array<Record<string, any>>;
    issues.forEach(checkIssue);
    expect(issues.find((i) => i.description.includes('aws_s3_bucket.n0'))!.location).toEqual({ path: 'tf/main.tf', lines: { begin: 7 } });
    expect(issues.find((i) => i.description.includes('aws_s3_bucket.n0'))!.description).toContain('<script>alert(1)</script>');
  });
});
