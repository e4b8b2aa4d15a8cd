import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { firstJsonError, parsePlanJson, splitTopLevel } from '../../src/plan/parse.js';
import { toUtf8 } from '../../src/plan/read.js';
import { slimPlan } from '../../src/plan/slim.js';
import { validatePlan } from '../../src/plan/validate.js';

const plan = '{"format_version":"1.2","resource_changes":[]}';

describe('toUtf8', () => {
  it.each([
    ['UTF-8', Buffer.from(plan, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(plan)])],
    ['UTF-16LE with BOM (PowerShell)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(plan, 'utf16le')])],
    ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(plan, 'utf16le').swap16()])],
  ])('%s becomes plain UTF-8', (_name, raw) => {
    expect(toUtf8('p.json', raw).toString('utf8')).toBe(plan);
  });

  it('keeps non-ASCII text through UTF-16', () => {
    const text = '{"format_version":"1.0","resource_changes":[],"x":"é ✓ 𝄞"}';
    const raw = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(JSON.parse(toUtf8('p.json', raw).toString('utf8')).x).toBe('é ✓ 𝄞');
  });

  it('rejects UTF-16 with an odd number of bytes', () => {
    expect(() => toUtf8('p.json', Buffer.from([0xff, 0xfe, 0x7b]))).toThrow(/odd number of bytes/);
  });
});

describe('parsePlanJson: one actionable line per problem', () => {
  it.each([
    ['empty', '', /p\.json: is empty/],
    ['blank', '  \n ', /p\.json: is empty/],
    ['truncated object', '{"format_version":"1.2","resource_changes":[', /ends early \(truncated/],
    ['truncated string', '{"format_version":"1.', /ends early \(truncated/],
    ['not JSON', 'resource "aws_s3_bucket" "b" {}', /not (valid )?JSON/],
    ['bad token mid-file', '{\n  "format_version": "1.2",\n  "x": tru\n}', /line 3, column/],
  ])('%s', (_name, text, message) => {
    const run = () => parsePlanJson('p.json', Buffer.from(text));
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
  });

  it('locates errors in valid-looking documents, and finds none in valid ones', () => {
    for (const valid of ['{}', '[]', '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"]}', ' {"a" : {"b" : [ ]}} ']) {
      expect(firstJsonError(valid), valid).toBeUndefined();
    }
    expect(firstJsonError('{"a":1,}')).toBe(7);
    expect(firstJsonError('{"a" 1}')).toBe(5);
    expect(firstJsonError('[1 2]')).toBe(3);
    expect(firstJsonError('{"a":01}')).toBe(6);
    expect(firstJsonError('[' .repeat(200000))).toBe(200000);
  });

  it('parses member by member past the string limit, to the same value as JSON.parse', () => {
    const plan = {
      format_version: '1.2',
      resource_changes: Array.from({ length: 50 }, (_, i) => ({ address: `a.b${i}`, change: { actions: ['create'], after: { s: 'x"\\]}'.repeat(i) } } })),
      configuration: { root_module: {} },
    };
    const bytes = Buffer.from(JSON.stringify(plan));
    expect(parsePlanJson('p.json', bytes, 200)).toEqual(plan);
    expect(() => parsePlanJson('p.json', bytes.subarray(0, bytes.length - 30), 200)).toThrow(/p\.json: is not valid JSON/);
  });

  it('splits a top-level object into member ranges that parse to the same value', () => {
    const text = '{ "a" : [1,{"b":"}\\""}] , "c":"x\\\\", "d": {"e": null}, "f": 1.5e3 }';
    const bytes = Buffer.from(text);
    const rebuilt = Object.fromEntries(
      splitTopLevel('p.json', bytes).map((m) => [
        JSON.parse(bytes.toString('utf8', m.keyStart, m.keyEnd)) as string,
        JSON.parse(bytes.toString('utf8', m.valueStart, m.valueEnd)) as unknown,
      ]),
    );
    expect(rebuilt).toEqual(JSON.parse(text));
  });
});

describe('validatePlan', () => {
  it.each([
    ['an array', [], /not a Terraform plan: expected a JSON object/],
    ['no format_version', { resource_changes: [] }, /no format_version/],
    ['a future format', { format_version: '2.0', resource_changes: [] }, /unsupported plan format_version 2\.0/],
    ['a state file', { format_version: '1.0', values: {} }, /no resource_changes.*state file/],
    ['a malformed change', { format_version: '1.0', resource_changes: [{ address: 'a.b', mode: 'managed', type: 'a', name: 'b' }] }, /resource_changes\.0 must have required property 'change'/],
    ['a bad mode', { format_version: '1.0', resource_changes: [{ address: 'a.b', mode: 'other', type: 'a', name: 'b', change: { actions: [] } }] }, /resource_changes\.0\.mode must be equal to one of/],
  ])('rejects %s', (_name, doc, message) => {
    let error: unknown;
    try {
      validatePlan('p.json', doc);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).oneLine()).toMatch(message);
  });

  it.each(['0.1', '0.2', '1.0', '1.2', '1.10'])('accepts format_version %s', (version) => {
    expect(validatePlan('p.json', { format_version: version, resource_changes: [] }).format_version).toBe(version);
  });
});

describe('slimPlan keeps what policies read and drops the rest', () => {
  const full = {
    format_version: '1.2',
    terraform_version: '1.9.0',
    variables: { secret: { value: 'hunter2' } },
    planned_values: { root_module: {} },
    prior_state: {
      values: {
        root_module: {
          resources: [
            { address: 'aws_s3_bucket.b', mode: 'managed', values: { bucket: 'b' } },
            { address: 'data.aws_iam_policy_document.d', mode: 'data', type: 'aws_iam_policy_document', name: 'd', values: { json: '{}' } },
          ],
          child_modules: [{ address: 'module.m', resources: [{ address: 'module.m.data.x.y', mode: 'data' }, { address: 'module.m.x.z', mode: 'managed' }] }],
        },
      },
    },
    resource_changes: [
      {
        address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', provider_name: 'registry.terraform.io/hashicorp/aws',
        change: { actions: ['no-op'], before: { bucket: 'b' }, after: { bucket: 'b' }, after_unknown: {}, before_sensitive: {}, after_sensitive: {} },
      },
    ],
    configuration: { root_module: { resources: [] } },
  };

  it('drops before, planned values, variables and managed prior state', () => {
    const slim = slimPlan(validatePlan('p.json', full)) as Record<string, unknown>;
    expect(Object.keys(slim).sort()).toEqual(['configuration', 'format_version', 'prior_state', 'resource_changes', 'terraform_version']);
    expect(JSON.stringify(slim)).not.toContain('hunter2');
    const rc = (slim.resource_changes as Array<{ change: Record<string, unknown> }>)[0]!;
    expect(Object.keys(rc.change).sort()).toEqual(['actions', 'after', 'after_sensitive', 'after_unknown']);
    const root = (slim.prior_state as { values: { root_module: { resources: unknown[]; child_modules: Array<{ resources: unknown[] }> } } }).values.root_module;
    expect(root.resources).toHaveLength(1);
    expect(root.child_modules[0]!.resources).toEqual([{ address: 'module.m.data.x.y', mode: 'data' }]);
  });
});
