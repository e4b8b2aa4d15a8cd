import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyExceptions, isCalendarDate, isExpired, utcDay, validateExceptions } from '../../src/config/exceptions.js';
import { compileAddressGlob, compileIdGlob, splitAddress } from '../../src/config/glob.js';
import { ConfigError } from '../../src/errors.js';
import type { Exception, Finding } from '../../src/model.js';

function finding(control: string, resource: string, status: Finding['status'] = 'fail'): Finding {
  return {
    control,
    severity: 'high',
    title: 't',
    resource,
    resource_type: resource.split('.').at(-2) ?? '',
    module: '',
    plan: 'plan.json',
    status,
    message: 'm',
    remediation: 'r',
    frameworks: {},
  };
}

function exception(control: string, resource: string, expires = '2026-12-31'): Exception {
  return { control, resource, owner: 'team', reason: 'why', expires };
}

describe('address globs', () => {
  const table: Array<[string, string, boolean]> = [
    ['aws_s3_bucket.a', 'aws_s3_bucket.a', true],
    ['aws_s3_bucket.a', 'aws_s3_bucket.ab', false],
    ['aws_s3_bucket.a', 'module.m.aws_s3_bucket.a', false],
    ['**.aws_s3_bucket.a', 'module.m.aws_s3_bucket.a', true],
    ['**.aws_s3_bucket.a', 'aws_s3_bucket.a', true],
    ['**.aws_s3_bucket.a', 'module.m["x"].module.n[0].aws_s3_bucket.a[3]', true],
    ['aws_s3_bucket.*', 'aws_s3_bucket.logs', true],
    ['aws_s3_bucket.*', 'aws_s3_bucket.logs["eu.west"]', true],
    ['aws_s3_bucket.*', 'aws_iam_role.logs', false],
    ['aws_s3_bucket.b', 'aws_s3_bucket.b[0]', true],
    ['aws_s3_bucket.b', 'aws_s3_bucket.b["k.with.dots"]', true],
    ['aws_s3_bucket.b[0]', 'aws_s3_bucket.b[0]', true],
    ['aws_s3_bucket.b[0]', 'aws_s3_bucket.b[1]', false],
    ['aws_s3_bucket.b[0]', 'aws_s3_bucket.b', false],
    ['module.a["x"].aws_s3_bucket.b[0]', 'module.a["x"].aws_s3_bucket.b[0]', true],
    ['module.a["x"].aws_s3_bucket.b[0]', 'module.a["y"].aws_s3_bucket.b[0]', false],
    ['module.a.aws_s3_bucket.b', 'module.a["x"].aws_s3_bucket.b[0]', true],
    ['module.a[*].aws_s3_bucket.b', 'module.a["x"].aws_s3_bucket.b[0]', true],
    ['module.a[*].aws_s3_bucket.b', 'module.a.aws_s3_bucket.b', false],
    ['module.a["*"].**', 'module.a["prod"].aws_s3_bucket.b', true],
    ['module.a["*"].**', 'module.a[0].aws_s3_bucket.b', false],
    ['module.a.**', 'module.a.module.b.aws_s3_bucket.c', true],
    ['module.a.**', 'module.ab.aws_s3_bucket.c', false],
    ['module.*.aws_s3_bucket.b', 'module.a.module.c.aws_s3_bucket.b', false],
    ['module.**.aws_s3_bucket.b', 'module.a.module.c.aws_s3_bucket.b', true],
    ['**', 'anything.at["all"]', true],
    ['aws_s3_bucket.b["a.b"]', 'aws_s3_bucket.b["a.b"]', true],
    ['aws_s3_bucket.b["a?b"]', 'aws_s3_bucket.b["axb"]', false],
    ['aws_s3_bucket.b[+]', 'aws_s3_bucket.b[0]', false],
    ['data.aws_iam_policy_document.*', 'data.aws_iam_policy_document.p', true],
  ];
  it.each(table)('%s ~ %s → %s', (pattern, address, expected) => {
    expect(compileAddressGlob(pattern)(address)).toBe(expected);
  });

  it('splits at dots outside brackets and quotes', () => {
    expect(splitAddress('module.a["x.y]z"].aws_s3_bucket.b[0]')).toEqual(['module', 'a["x.y]z"]', 'aws_s3_bucket', 'b[0]']);
    expect(splitAddress('a.b["q\\"].x"]')).toEqual(['a', 'b["q\\"].x"]']);
  });

  const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/);
  const key = fc.oneof(
    fc.nat(20).map((n) => `[${n}]`),
    fc.string({ maxLength: 8 }).map((s) => `[${JSON.stringify(s)}]`),
  );
  const instance = fc.tuple(name, fc.option(key, { nil: undefined })).map(([n, k]) => ({ name: n, key: k }));
  const address = fc
    .record({ modules: fc.array(instance, { maxLength: 3 }), type: name, res: instance })
    .map(({ modules, type, res }) => ({
      modules,
      type,
      res,
      text: [...modules.map((m) => `module.${m.name}${m.key ?? ''}`), type, `${res.name}${res.key ?? ''}`].join('.'),
    }));

  it('every address matches itself (brackets and quotes are literal)', () => {
    fc.assert(fc.property(address, (a) => compileAddressGlob(a.text)(a.text)));
  });

  it('a keyless pattern matches every instance, and ** any module path', () => {
    fc.assert(
      fc.property(address, (a) => {
        const keyless = [...a.modules.map((m) => `module.${m.name}`), a.type, a.res.name].join('.');
        const anyModule = `**.${a.type}.${a.res.name}`;
        return compileAddressGlob(keyless)(a.text) && compileAddressGlob(anyModule)(a.text) && compileAddressGlob('**')(a.text);
      }),
    );
  });

  it('a pattern for another resource name never matches', () => {
    fc.assert(
      fc.property(address, name, (a, other) => {
        fc.pre(other !== a.res.name);
        return !compileAddressGlob(`**.${a.type}.${other}`)(a.text);
      }),
    );
  });

  it('control id globs', () => {
    expect(compileIdGlob('CIPA-AWS-S3-01')('CIPA-AWS-S3-01')).toBe(true);
    expect(compileIdGlob('CIPA-AWS-S3-01')('CIPA-AWS-S3-011')).toBe(false);
    expect(compileIdGlob('CIPA-AWS-*')('CIPA-AWS-S3-01')).toBe(true);
    expect(compileIdGlob('CIPA-AWS-*')('CIPA-GCP-S3-01')).toBe(false);
    expect(compileIdGlob('*')('anything')).toBe(true);
    expect(compileIdGlob('CIPA-AWS-S3-0.')('CIPA-AWS-S3-01')).toBe(false);
  });
});

describe('expiry', () => {
  it.each([
    ['2026-06-30', '2026-06-29', false],
    ['2026-06-30', '2026-06-30', false],
    ['2026-06-30', '2026-07-01', true],
    ['2026-12-31', '2027-01-01', true],
    ['2028-02-29', '2028-02-29', false],
  ])('expires %s, today %s → expired %s', (expires, today, expired) => {
    expect(isExpired({ expires }, today)).toBe(expired);
  });

  it('uses the UTC day, whatever the local time zone', () => {
    expect(utcDay(new Date('2026-06-30T23:59:59.999Z'))).toBe('2026-06-30');
    expect(utcDay(new Date('2026-07-01T00:00:00.000Z'))).toBe('2026-07-01');
    expect(utcDay(new Date('2026-07-01T01:30:00+02:00'))).toBe('2026-06-30');
  });

  it('checks calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('2026-1-01')).toBe(false);
  });
});

describe('applyExceptions', () => {
  const findings = [
    finding('CIPA-AWS-S3-01', 'aws_s3_bucket.site'),
    finding('CIPA-AWS-S3-01', 'module.logs["eu"].aws_s3_bucket.this[0]'),
    finding('CIPA-AWS-S3-02', 'aws_s3_bucket.site', 'unknown'),
    finding('CIPA-AWS-IAM-01', 'aws_iam_role.ci'),
  ];

  it('waives matching fail and unknown findings and keeps order', () => {
    const ex = [exception('CIPA-AWS-S3-*', 'aws_s3_bucket.site'), exception('CIPA-AWS-S3-01', 'module.logs.**')];
    const out = applyExceptions(findings, ex, '2026-12-31');
    expect(out.findings.map((f) => f.status)).toEqual(['waived', 'waived', 'waived', 'fail']);
    expect(out.findings[0]!.exception).toBe(ex[0]);
    expect(out.findings[1]!.exception).toBe(ex[1]);
    expect(out.findings[3]!.exception).toBeUndefined();
    expect(out.expired).toEqual([]);
    expect(out.stale).toEqual([]);
    expect(findings[0]!.status).toBe('fail');
  });

  it('an expired exception stops waiving and is reported with what it matched', () => {
    const ex = [exception('CIPA-AWS-S3-01', 'aws_s3_bucket.site', '2026-06-30')];
    const onLastDay = applyExceptions(findings, ex, '2026-06-30');
    expect(onLastDay.findings[0]!.status).toBe('waived');
    const dayAfter = applyExceptions(findings, ex, new Date('2026-07-01T00:00:00Z'));
    expect(dayAfter.findings[0]!.status).toBe('fail');
    expect(dayAfter.expired).toEqual([
      { exception: ex[0], index: 0, matched: [{ control: 'CIPA-AWS-S3-01', resource: 'aws_s3_bucket.site', plan: 'plan.json' }] },
    ]);
    expect(dayAfter.stale).toEqual([]);
  });

  it('a later live exception still waives what an expired one matched', () => {
    const ex = [exception('CIPA-AWS-IAM-01', '**', '2020-01-01'), exception('CIPA-AWS-IAM-01', 'aws_iam_role.ci')];
    const out = applyExceptions(findings, ex, '2026-01-01');
    expect(out.findings[3]!.status).toBe('waived');
    expect(out.findings[3]!.exception).toBe(ex[1]);
    expect(out.expired[0]!.matched).toHaveLength(1);
  });

  it('reports live exceptions that match nothing as stale (passes and already-waived findings do not count)', () => {
    const ex = [
      exception('CIPA-AWS-S3-01', 'aws_s3_bucket.gone'),
      exception('CIPA-AWS-S3-01', 'aws_s3_bucket.site'),
      exception('CIPA-AWS-S3-*', 'aws_s3_bucket.site'),
    ];
    const out = applyExceptions([findings[0]!, finding('CIPA-AWS-S3-09', 'aws_s3_bucket.gone', 'waived')], ex, '2026-01-01');
    expect(out.stale.map((s) => s.index)).toEqual([0, 2]);
    expect(out.findings[1]!.status).toBe('waived');
    expect(out.findings[1]!.exception).toBeUndefined();
  });

  it('rejects a bad today', () => {
    expect(() => applyExceptions([], [], '2026-02-30')).toThrow(ConfigError);
  });
});

describe('validateExceptions', () => {
  it('requires owner, reason and expires', () => {
    expect(() => validateExceptions([{ control: 'A', resource: 'b', reason: 'r', expires: '2026-01-01' }], 'x.json')).toThrow(
      'x.json: exceptions[0].owner: required, a non-empty string',
    );
    expect(() => validateExceptions([{ control: 'A', resource: 'b', owner: 'o', reason: ' ', expires: '2026-01-01' }], 'x.json')).toThrow(
      /exceptions\[0\]\.reason/,
    );
    expect(() => validateExceptions([{ control: 'A', resource: 'b', owner: 'o', reason: 'r', expires: '2026-1-1' }], 'x.json')).toThrow(
      /expires: must be a date YYYY-MM-DD/,
    );
    expect(validateExceptions([{ control: 'A', resource: 'b', owner: 'o', reason: 'r', expires: '2026-01-01', ticket: 'T-1' }], 'x')).toEqual([
      { control: 'A', resource: 'b', owner: 'o', reason: 'r', expires: '2026-01-01', ticket: 'T-1' },
    ]);
  });
});
