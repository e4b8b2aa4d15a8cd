import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Anonymiser } from '../../src/authoring/anonymise.js';
import { buildFixture, fixtureFromPlan } from '../../src/authoring/fixture.js';
import { runPolicyTests } from '../../src/authoring/runner.js';
import { loadBundle, type LoadedBundle } from '../../src/evaluate.js';
import { ROOT } from '../support/cli.js';
import { committedBundle, CONTROL_ID, smallPolicy } from './helpers.js';

const SHARED = join(ROOT, '..', 'shared', 'plans');
const plans = existsSync(SHARED) ? readdirSync(SHARED).filter((f) => f.endsWith('.json')).sort() : [];

/** Attributes whose string values name a resource: what must never reach a fixture. */
const NAME_KEYS = new Set(['name', 'bucket', 'id', 'arn', 'name_prefix', 'bucket_prefix', 'description', 'display_name', 'function_name', 'role_name', 'user', 'username', 'email', 'owner', 'account_id', 'project', 'domain_name', 'hostname']);
/** Region names and AWS-wide values: not identifying, and legitimately kept when used as names. */
const NOT_IDENTIFYING = /^(us|eu|ap|sa|ca|me|af|il|cn|us-gov)-[a-z]+-\d$|^[a-z]+(central|east|west|north|south)\d?$/;

interface Originals {
  /** Account ids, ARNs, IPs: must not appear anywhere in the fixture text. */
  patterns: Set<string>;
  /** Names from values and sensitive values: must not be any string value of the fixture. */
  values: Set<string>;
}

function originals(plan: Record<string, unknown>): Originals {
  const patterns = new Set<string>();
  const values = new Set<string>();
  const text = JSON.stringify(plan);
  for (const m of text.matchAll(/\b\d{12}\b/g)) patterns.add(m[0]);
  for (const m of text.matchAll(/arn:aws[a-z-]*:[^"\s\\,]*/g)) {
    const parts = m[0].split(':');
    const resource = parts.slice(5).join(':');
    // AWS-managed ARNs (account "aws") and pure wildcards name nobody
    if (parts[4] === 'aws' || (!/\d{12}/.test(parts[4] ?? '') && /^[*/]*$/.test(resource))) continue;
    patterns.add(m[0]);
  }
  for (const m of text.matchAll(/\b(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?\b/g)) if (m[0] !== '0.0.0.0/0') patterns.add(m[0]);
  const walk = (v: unknown, key: string | undefined, sensitive: unknown) => {
    if (sensitive === true && v !== null && typeof v !== 'boolean' && typeof v !== 'object') {
      values.add(String(v));
      return;
    }
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, key, Array.isArray(sensitive) ? sensitive[i] : sensitive === true));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, k, sensitive === true ? true : sensitive && typeof sensitive === 'object' ? (sensitive as Record<string, unknown>)[k] : false);
    } else if (typeof v === 'string' && key && NAME_KEYS.has(key) && v.length >= 3 && !NOT_IDENTIFYING.test(v)) values.add(v);
  };
  for (const rc of (plan.resource_changes ?? []) as Array<{ change?: Record<string, unknown> }>) {
    walk(rc.change?.after, undefined, rc.change?.after_sensitive);
    walk(rc.change?.before, undefined, rc.change?.before_sensitive);
  }
  const state = (m: { resources?: Array<{ values?: unknown; sensitive_values?: unknown }>; child_modules?: unknown[] } | undefined) => {
    for (const r of m?.resources ?? []) walk(r.values, undefined, r.sensitive_values);
    for (const c of m?.child_modules ?? []) state(c as never);
  };
  state((plan.prior_state as { values?: { root_module?: never } } | undefined)?.values?.root_module);
  state((plan.planned_values as { root_module?: never } | undefined)?.root_module);
  return { patterns, values };
}

/** Every string value of a fixture, embedded JSON documents included; and the words its format itself uses. */
function stringsOf(fixture: unknown): { strings: Set<string>; structural: Set<string> } {
  const strings = new Set<string>();
  const structural = new Set<string>(['pass', 'fail', 'unknown', 'create', 'update', 'delete', 'no-op', 'read', 'managed', 'data']);
  const walk = (v: unknown, key: string | undefined) => {
    if (typeof v === 'string') {
      if (key && ['type', 'provider_name', 'full_name', 'mode', 'name', 'version_constraint'].includes(key) && !/^(name|text|sensitive)-\d+$/.test(v)) structural.add(v.split('/').pop()!);
      strings.add(v);
      try {
        const inner = JSON.parse(v) as unknown;
        if (inner && typeof inner === 'object') walk(inner, undefined);
      } catch {
        // not JSON
      }
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        structural.add(k);
        walk(x, k);
      }
    }
  };
  walk(fixture, undefined);
  return { strings, structural };
}

describe('cipa fixture: minimal, anonymised, faithful', () => {
  let bundle: { path: string };
  let engine: LoadedBundle;
  beforeAll(async () => {
    const committedBuild = await committedBundle();
    bundle = committedBuild;
    engine = await loadBundle(committedBuild.bytes, committedBuild.path);
  });

  it('has the shared plans', () => {
    expect(plans.length).toBeGreaterThan(20);
  });

  it.each(plans)('%s: every control it decides gives a fixture with no original identifier and the same decisions', (file) => {
    const plan = JSON.parse(readFileSync(join(SHARED, file), 'utf8')) as Record<string, unknown>;
    const original = engine.engine.evaluate(Buffer.from(JSON.stringify(plan)), file);
    const controls = [...new Set(original.decisions.map((d) => d.control))].sort();
    const ids = originals(plan);
    for (const control of controls) {
      const fx = buildFixture(plan, { control, bundle: engine });
      expect(fx.changed, `${control}`).toEqual([]);
      // Decisions of the anonymised fixture, evaluated afresh (Wasm path), match the plan's on every kept resource.
      const again = engine.engine.evaluate(Buffer.from(JSON.stringify(fx.plan)), 'fixture');
      const got = new Map(again.decisions.filter((d) => d.control === control).map((d) => [d.resource, d.status]));
      for (const d of original.decisions.filter((x) => x.control === control)) {
        expect(got.get(fx.addresses[d.resource]!), `${control} ${d.resource}`).toBe(d.status);
      }
      expect(Object.fromEntries(got)).toEqual(fx.expectation.decisions);
      expect(fx.plan).not.toHaveProperty('planned_values');
      expect(fx.plan).not.toHaveProperty('variables');
      expect(fx.plan).not.toHaveProperty('output_changes');

      const text = JSON.stringify({ plan: fx.plan, expectation: fx.expectation });
      const { strings, structural } = stringsOf({ plan: fx.plan, expectation: fx.expectation });
      for (const id of ids.patterns) expect(text.includes(id), `${control}: ${id} survives`).toBe(false);
      for (const id of ids.values) {
        if (structural.has(id)) continue; // a name that is also a word of the format (a type, a provider, a key)
        expect(strings.has(id), `${control}: ${JSON.stringify(id)} survives`).toBe(false);
        if (id.length >= 12) expect(text.includes(id), `${control}: ${JSON.stringify(id)} survives inside a value`).toBe(false);
      }
    }
  });

  it('keeps only what the decision needs: one bucket out of a plan with many resources', () => {
    const plan = JSON.parse(readFileSync(join(SHARED, 'snyk__cli__test--fixtures--iac--terraform-plan--tf-plan-create.json'), 'utf8')) as Record<string, unknown>;
    const fx = buildFixture(plan, { control: 'CIPA-AWS-S3-01', bundle: engine });
    expect(fx.resources.original).toBeGreaterThan(fx.resources.kept);
    expect(Object.keys(fx.expectation.decisions)).toEqual(Object.values(fx.addresses));
    const other = JSON.parse(readFileSync(join(SHARED, 'snyk__policy-engine__pkg--input--golden_test--tfplan--resource-changes--plan.json'), 'utf8')) as Record<string, unknown>;
    const decided = engine.engine.evaluate(Buffer.from(JSON.stringify(other)), 'x').decisions.filter((d) => d.control === 'CIPA-AWS-S3-01');
    if (decided.length > 1) {
      const one = buildFixture(other, { control: 'CIPA-AWS-S3-01', resource: decided[0]!.resource, bundle: engine });
      expect(Object.keys(one.addresses)).toEqual([decided[0]!.resource]);
    }
    expect(() => buildFixture(plan, { control: 'CIPA-AWS-S3-01', resource: 'aws_s3_bucket.nope', bundle: engine })).toThrow(/not decided by CIPA-AWS-S3-01/);
    expect(() => buildFixture(plan, { control: 'NOPE-01', bundle: engine })).toThrow(/not in the policy/);
  });

  it('writes a fixture that cipa test accepts, never overwriting', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cipa-fixture-'));
    const plan = join(SHARED, 'snyk__cli__test--fixtures--iac--terraform-plan--tf-plan-create.json');
    const out = join(root, 'testdata', 'controls');
    const written = await fixtureFromPlan(plan, { control: CONTROL_ID, bundle: bundle.path, out, name: 'from_plan' });
    expect(written.plan).toBe(join(out, CONTROL_ID.toLowerCase(), 'from_plan.json'));
    await expect(fixtureFromPlan(plan, { control: CONTROL_ID, bundle: bundle.path, out, name: 'from_plan' })).rejects.toThrow(/already exists/);
    // the written case passes `cipa test` (both engines) on a policy holding the control
    const report = await runPolicyTests(smallPolicy().rego, { fixtures: out });
    expect(report.fixtureResults.map((f) => [f.name, f.status])).toEqual([[`${CONTROL_ID.toLowerCase()}/from_plan`, 'pass']]);
    expect(report.failures).toEqual([]);
  });
});

describe('Anonymiser rules', () => {
  it('is deterministic, and joins survive: the same original gives the same placeholder', () => {
    const a = new Anonymiser();
    const b = new Anonymiser();
    const values = { bucket: 'acme-payroll', target_bucket: 'acme-payroll', arn: 'arn:aws:s3:::acme-payroll', policy: '{"Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::acme-payroll/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}' };
    const x = a.value(values, undefined) as Record<string, string>;
    expect(b.value(values, undefined)).toEqual(x);
    expect(x.bucket).toBe(x.target_bucket);
    expect(x.bucket).toMatch(/^name-\d{4}$/);
    expect(x.arn).toBe(`arn:aws:s3:::${x.bucket}`);
    expect(JSON.parse(x.policy!)).toEqual({ Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::${x.bucket}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] });
  });

  it('replaces accounts, ARNs, IPs (keeping private/public and the prefix), e-mails, ids and sensitive values; keeps semantics', () => {
    const a = new Anonymiser();
    const v = a.value(
      {
        role_arn: 'arn:aws:iam::123456789012:role/deploy',
        managed: 'arn:aws:iam::aws:policy/AdministratorAccess',
        cidr_blocks: ['0.0.0.0/0', '10.1.0.0/16', '52.1.2.3/32', '::/0'],
        vpc_id: 'vpc-0a1b2c3d4e5f67890',
        owner_email: 'alice@acme.example',
        sse_algorithm: 'aws:kms',
        minimum_protocol_version: 'TLSv1.2_2021',
        from_port: 22,
        enabled: true,
        tags: { owner: 'alice', environment: 'prod' },
        user_data: 'curl http://10.0.0.5/setup.sh | bash',
        secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      undefined,
      { secret: true },
    ) as Record<string, unknown>;
    expect(v.role_arn).toBe('arn:aws:iam::000000000001:role/name-0001');
    expect(v.managed).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    const cidrs = v.cidr_blocks as string[];
    expect(cidrs[0]).toBe('0.0.0.0/0');
    expect(cidrs[1]).toMatch(/^10\.213\.\d+\.\d+\/16$/);
    expect(cidrs[2]).toMatch(/^203\.0\.113\.\d+\/32$/);
    expect(cidrs[3]).toBe('::/0');
    expect(v.vpc_id).toBe('vpc-00000001');
    expect(v.owner_email).toMatch(/^(name-\d+|user-\d+@example\.com)$/);
    expect([v.sse_algorithm, v.minimum_protocol_version, v.from_port, v.enabled]).toEqual(['aws:kms', 'TLSv1.2_2021', 22, true]);
    expect(Object.keys(v.tags as object)).toEqual(['owner', 'environment']);
    expect(Object.values(v.tags as object).every((t) => /^name-\d+$/.test(t as string))).toBe(true);
    expect(v.user_data).not.toContain('10.0.0.5');
    expect(v.secret).toMatch(/^sensitive-\d{4}$/);
    expect(JSON.stringify(v)).not.toMatch(/123456789012|alice|acme|52\.1\.2\.3|wJalr/);
  });

  it('renames resource and module names and for_each keys in addresses and references, not var/local names', () => {
    const a = new Anonymiser();
    expect(a.address('module.payroll["prod"].aws_s3_bucket.invoices[0]')).toBe('module.m1["k1"].aws_s3_bucket.r1[0]');
    expect(a.address('module.payroll.module.inner')).toBe('module.m1.module.m2');
    expect(a.address('aws_s3_bucket.invoices.id')).toBe('aws_s3_bucket.r1.id');
    expect(a.address('data.aws_iam_policy_document.invoices.json')).toBe('data.aws_iam_policy_document.r1.json');
    expect(a.address('var.bucket_name')).toBe('var.bucket_name');
    expect(a.address('module.payroll')).toBe('module.m1');
    expect(a.moduleSource('git::https://github.com/acme/terraform-s3.git?ref=v1.2.3')).toMatch(/^git::https:\/\/github\.com\/name-\d+\/name-\d+\.git\?ref=v1\.2\.3$/);
    expect(a.moduleSource('./modules/payroll')).toMatch(/^\.\/modules\/name-\d+$/);
    expect(a.moduleSource('terraform-aws-modules/s3-bucket/aws')).toMatch(/^name-\d+\/name-\d+\/aws$/);
  });
});
