import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundleDefinition } from '../../src/policy/definition.js';
import { buildBundle } from '../../src/policy/build.js';
import { diffBundles, openSide, readPlanCorpus, type DiffSide } from '../../src/release/diff.js';
import { FORCE_DESTROY, PUBLIC_ACL, planCorpus, scratch, type ToyControl, toyDefinition } from './fixtures.js';

const TODAY = '2026-12-03';

async function side(version: string, controls: ToyControl[], definitionFile = toyDefinition('demo', version, controls)): Promise<DiffSide> {
  const built = await buildBundle({ definition: await readBundleDefinition(definitionFile), version });
  return openSide(new Uint8Array(built.bytes), `demo-${version}.tar.gz`);
}

describe('diffBundles over real bundles and a plan corpus (Wasm)', () => {
  const corpus = planCorpus();
  let v1: DiffSide;

  it('v1 decides the corpus as expected; the same policy rebuilt under a new version needs no bump', async () => {
    const definition = toyDefinition('demo', '1.0.0', [FORCE_DESTROY, PUBLIC_ACL]);
    v1 = await side('1.0.0', [], definition);
    // policy.wasm records where its sources were compiled from: the same tree, rebuilt, gives the same files.
    const again = await side('1.0.1', [], definition);
    const plans = await readPlanCorpus(corpus);
    const diff = diffBundles(v1, again, { plans, plansRoot: corpus, today: TODAY });
    expect(diff.decisions).toEqual({ plans: ['buckets.json'], compared: 4, flips: [] });
    expect(diff.files).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.required).toEqual({ level: 'none', reasons: [] });
    expect([diff.old.version, diff.new.version]).toEqual(['1.0.0', '1.0.1']);
  });

  it('a removed control is a major, and its failures disappear', async () => {
    const v2 = await side('1.1.0', [FORCE_DESTROY]);
    const diff = diffBundles(v1, v2, { plans: await readPlanCorpus(corpus), plansRoot: corpus, today: TODAY });
    expect(diff.controls.removed.map((c) => c.id)).toEqual(['CIPA-DEMO-02']);
    expect(diff.files.removed).toEqual(['cipa/controls/demo/public_acl/public_acl.rego']);
    expect(diff.decisions?.flips).toEqual([
      { plan: 'buckets.json', control: 'CIPA-DEMO-02', resource: 'aws_s3_bucket.a', from: 'pass', to: 'absent', advisory: false },
      { plan: 'buckets.json', control: 'CIPA-DEMO-02', resource: 'aws_s3_bucket.b', from: 'fail', to: 'absent', advisory: false },
    ]);
    expect(diff.required.level).toBe('major');
    expect(diff.required.reasons[0]).toBe('control CIPA-DEMO-02 removed');
  });

  it('a raised severity is a major; a changed title is a patch', async () => {
    const raised = diffBundles(v1, await side('1.0.1', [{ ...FORCE_DESTROY, severity: 'high' }, PUBLIC_ACL]), { today: TODAY });
    expect(raised.controls.severity).toEqual([{ id: 'CIPA-DEMO-01', from: 'medium', to: 'high' }]);
    expect(raised.required).toEqual({ level: 'major', reasons: ['control CIPA-DEMO-01 severity raised from medium to high'] });
    const retitled = diffBundles(v1, await side('1.0.1', [{ ...FORCE_DESTROY, title: 'Buckets cannot be force-destroyed' }, PUBLIC_ACL]), { today: TODAY });
    expect(retitled.controls.metadata).toEqual([{ id: 'CIPA-DEMO-01', fields: ['title'], enforcedFrom: {}, enforcementBroughtForward: false }]);
    expect(retitled.required.level).toBe('patch');
  });

  it('a decision flipping from pass to fail is a major', async () => {
    const flipped = await side('1.0.1', [{ ...FORCE_DESTROY, failing: false, title: 'Buckets do not set force_destroy to true' }, PUBLIC_ACL]);
    const diff = diffBundles(v1, flipped, { plans: await readPlanCorpus(corpus), plansRoot: corpus, today: TODAY });
    expect(diff.controls).toEqual({ added: [], removed: [], severity: [], metadata: [] });
    expect(diff.decisions?.flips.map((f) => `${f.control} ${f.resource} ${f.from}→${f.to}`)).toEqual([
      'CIPA-DEMO-01 aws_s3_bucket.a fail→pass',
      'CIPA-DEMO-01 aws_s3_bucket.b pass→fail',
    ]);
    expect(diff.required.level).toBe('major');
    expect(diff.required.reasons).toEqual([
      '1 decision of CIPA-DEMO-01 now fails (aws_s3_bucket.b in buckets.json: pass → fail)',
      '1 decision changed without a new failure',
    ]);
  });

  it('a new control that fails is a major, unless it is enforced only from a future date: then a minor', async () => {
    const versioning = (enforcedFrom?: string): ToyControl => ({ name: 'no_public_bucket_names', id: 'CIPA-DEMO-03', severity: 'high', attribute: 'bucket', failing: 'bucket-a', ...(enforcedFrom ? { enforcedFrom } : {}) });
    const plans = await readPlanCorpus(corpus);
    const enforced = diffBundles(v1, await side('1.1.0', [FORCE_DESTROY, PUBLIC_ACL, versioning()]), { plans, plansRoot: corpus, today: TODAY });
    expect(enforced.controls.added).toEqual([{ id: 'CIPA-DEMO-03', title: 'Buckets do not set bucket to "bucket-a"', severity: 'high', advisory: false }]);
    expect(enforced.required.level).toBe('major');
    const future = diffBundles(v1, await side('1.1.0', [FORCE_DESTROY, PUBLIC_ACL, versioning('2999-01-01')]), { plans, plansRoot: corpus, today: TODAY });
    expect(future.decisions?.flips.filter((f) => f.to === 'fail')).toEqual([
      { plan: 'buckets.json', control: 'CIPA-DEMO-03', resource: 'aws_s3_bucket.a', from: 'absent', to: 'fail', advisory: true },
    ]);
    expect(future.required).toEqual({
      level: 'minor',
      reasons: [
        'control CIPA-DEMO-03 added (enforced from 2999-01-01)',
        "1 decision of CIPA-DEMO-03 now fails (aws_s3_bucket.a in buckets.json: absent → fail), advisory until the control's enforced_from date",
        '1 decision changed without a new failure',
      ],
    });
    const past = diffBundles(v1, await side('1.1.0', [FORCE_DESTROY, PUBLIC_ACL, versioning('2000-01-01')]), { plans, plansRoot: corpus, today: TODAY });
    expect(past.required.level).toBe('major');
    // Once the date is reached, the same comparison is a major: "today" decides.
    expect(diffBundles(v1, await side('1.1.0', [FORCE_DESTROY, PUBLIC_ACL, versioning('2999-01-01')]), { plans, plansRoot: corpus, today: '2999-01-02' }).required.level).toBe('major');
  });

  it('an exception shipped in the bundle waives a failure (a patch); dropping it makes the failure come back (a major)', async () => {
    const definition = toyDefinition('demo', '1.0.0', [FORCE_DESTROY, PUBLIC_ACL]);
    const settings = join(scratch('cipa-release-settings-'), 'settings.yaml');
    writeFileSync(settings, 'exceptions:\n  - control: CIPA-DEMO-01\n    resource: aws_s3_bucket.a\n    owner: platform-team\n    reason: scratch bucket, emptied by a lifecycle rule\n    expires: "2999-12-31"\n');
    const plain = await openSide(new Uint8Array((await buildBundle({ definition: await readBundleDefinition(definition), version: '1.0.0' })).bytes), 'plain');
    const waived = await openSide(new Uint8Array((await buildBundle({ definition: await readBundleDefinition(definition), version: '1.0.1', dataFiles: [settings] })).bytes), 'waived');
    const plans = await readPlanCorpus(corpus);
    const loosened = diffBundles(plain, waived, { plans, plansRoot: corpus, today: TODAY });
    expect(loosened.decisions?.flips).toEqual([{ plan: 'buckets.json', control: 'CIPA-DEMO-01', resource: 'aws_s3_bucket.a', from: 'fail', to: 'waived', advisory: false }]);
    expect(loosened.files.changed).toEqual(['data.json']);
    expect(loosened.required).toEqual({ level: 'patch', reasons: ['1 decision changed without a new failure'] });
    const tightened = diffBundles(waived, plain, { plans, plansRoot: corpus, today: TODAY });
    expect(tightened.required).toEqual({ level: 'major', reasons: ['1 decision of CIPA-DEMO-01 now fails (aws_s3_bucket.a in buckets.json: waived → fail)'] });
  });

  it('bringing enforcement forward is a major', async () => {
    const later = await side('1.0.0', [{ ...FORCE_DESTROY, enforcedFrom: '2999-01-01' }, PUBLIC_ACL]);
    const sooner = await side('1.0.1', [{ ...FORCE_DESTROY, enforcedFrom: '2998-01-01' }, PUBLIC_ACL]);
    const diff = diffBundles(later, sooner, { today: TODAY });
    expect(diff.controls.metadata).toEqual([{ id: 'CIPA-DEMO-01', fields: ['enforced_from'], enforcedFrom: { from: '2999-01-01', to: '2998-01-01' }, enforcementBroughtForward: true }]);
    expect(diff.required.level).toBe('major');
    expect(diffBundles(sooner, later, { today: TODAY }).required.level).toBe('patch');
  });
});
