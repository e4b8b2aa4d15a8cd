import type { ControlMeta, Decision, EvalReport, Finding } from '../../src/model.js';
import type { Severity } from '../../src/severity.js';

export function control(id: string, severity: Severity, extra: Partial<ControlMeta> = {}): ControlMeta {
  const slug = id.toLowerCase().replace(/-/g, '_');
  return {
    id,
    title: `Title of ${id}`,
    description: `Why ${id} matters.`,
    severity,
    frameworks: { 'cis-aws-1.4': ['2.1.5'] },
    aliases: [`CKV_${slug.toUpperCase()}`],
    remediation: `Set the attribute.\n\n\`\`\`hcl\nresource "x" "y" {\n  enabled = true\n}\n\`\`\``,
    resource_types: ['aws_s3_bucket'],
    package: `cipa.controls.aws.${slug}`,
    file: `controls/aws/${slug}/${slug}.rego`,
    ...extra,
  };
}

export function finding(c: ControlMeta, resource: string, extra: Partial<Finding> = {}): Finding {
  const parts = resource.split('.');
  return {
    control: c.id,
    severity: c.severity,
    title: c.title,
    resource,
    resource_type: parts.at(-2) ?? '',
    module: resource.startsWith('module.') ? parts.slice(0, 2).join('.') : '',
    plan: 'plans/prod.json',
    status: 'fail',
    message: `${resource} has the attribute off`,
    remediation: c.remediation,
    frameworks: c.frameworks,
    ...extra,
  };
}

/** A report with every status: fails at each severity, an unknown, a waived one, an advisory one, and passes. */
export function sampleReport(): EvalReport {
  const s3 = control('CIPA-AWS-S3-01', 'critical', { frameworks: { 'cis-aws-1.4': ['2.1.5'], 'nist-800-53': ['AC-3'] } });
  const enc = control('CIPA-AWS-S3-02', 'high');
  const logs = control('CIPA-AWS-CT-01', 'medium', { frameworks: { 'cis-aws-1.4': ['3.1'] } });
  const tags = control('CIPA-AWS-TAG-01', 'low', { frameworks: {} });
  const info = control('CIPA-AWS-INFO-01', 'info', { frameworks: {}, enforced_from: '2099-01-01' });
  const findings: Finding[] = [
    finding(s3, 'aws_s3_bucket.site'),
    finding(s3, 'module.logs["eu"].aws_s3_bucket.this[0]'),
    finding(enc, 'aws_s3_bucket.site', { status: 'unknown', message: 'aws_s3_bucket.site: server_side_encryption is known only after apply' }),
    finding(enc, 'aws_s3_bucket.data', {
      status: 'waived',
      exception: { control: 'CIPA-AWS-S3-02', resource: 'aws_s3_bucket.data', owner: 'data-team', reason: 'legacy bucket, migrating', expires: '2026-12-31', ticket: 'SEC-42' },
    }),
    finding(logs, 'aws_cloudtrail.main'),
    finding(tags, 'aws_s3_bucket.site'),
    finding(info, 'aws_s3_bucket.site', { advisory: true }),
  ];
  const decisions: EvalReport['decisions'] = [];
  const push = (c: ControlMeta, resource: string, status: Decision['status'], messages: string[] = []) =>
    decisions.push({ control: c.id, resource, resource_type: resource.split('.').at(-2) ?? '', module: '', status, severity: c.severity, messages, plan: 'plans/prod.json' });
  for (const f of findings) push(controlById([s3, enc, logs, tags, info], f.control), f.resource, f.status === 'waived' ? 'fail' : f.status, [f.message]);
  push(s3, 'aws_s3_bucket.data', 'pass');
  push(enc, 'aws_s3_bucket.logs', 'pass');
  push(logs, 'aws_cloudtrail.backup', 'pass');
  return {
    schema: 'cipa.eval/v1',
    bundle: { name: 'cipa', version: '0.1.0', revision: 'abc123', digest: `sha256:${'b'.repeat(64)}` },
    plans: [{ path: 'plans/prod.json', terraform_version: '1.9.5', resources: 12 }],
    summary: {
      result: 'fail',
      fail_on: 'high',
      warn_on: 'low',
      counts: { critical: 2, high: 1, medium: 1, low: 1, info: 1 },
      passed: 3,
      failed: 5,
      unknown: 1,
      waived: 1,
    },
    findings,
    decisions,
    controls: [s3, enc, logs, tags, info],
  };
}

function controlById(list: ControlMeta[], id: string): ControlMeta {
  const c = list.find((x) => x.id === id);
  if (!c) throw new Error(id);
  return c;
}

/** Strings that break naive escaping in XML, HTML, Markdown, JSON and workflow commands. */
export const NASTY = [
  '<script>alert(1)</script>',
  '"quoted" & \'single\' <b>',
  ']]> <![CDATA[ x ]]>',
  'line1\nline2\r\nline3',
  '100% :: a,b = c',
  '| pipe | `tick` *star* _u_ [link](javascript:alert(1))',
  'control\u0000\u0001\u0008\u000b\u001f chars \ufffe\uffff',
  'emoji 🚀 and lone surrogate \ud800 here',
  '${{ github.token }} %0A %25',
  '</details><img src=x onerror=alert(1)>',
];
