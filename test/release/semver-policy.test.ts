import { describe, expect, it } from 'vitest';
import type { BundleDiff } from '../../src/release/diff.js';
import { pickBaseline } from '../../src/release/publish.js';
import { checkVersion, providedBump, requiredBump, VersionPolicyError } from '../../src/release/semver-policy.js';

function diff(parts: Partial<BundleDiff> = {}): BundleDiff {
  const side = { name: 'demo', version: '1.0.0', digest: 'sha256:x', source: 'x', controls: 1 };
  return {
    schema: 'cipa.bundle-diff/v1',
    today: '2026-12-03',
    old: side,
    new: side,
    controls: { added: [], removed: [], severity: [], metadata: [] },
    files: { added: [], removed: [], changed: [] },
    required: { level: 'none', reasons: [] },
    ...parts,
  };
}

const flip = (to: 'pass' | 'fail' | 'unknown' | 'absent', from: 'pass' | 'fail' | 'unknown' | 'absent', advisory = false) =>
  ({ plan: 'p.json', control: 'CIPA-DEMO-01', resource: 'aws_s3_bucket.a', from, to, advisory });

describe('requiredBump', () => {
  it('is none for the same content and patch for content that changes nothing else', () => {
    expect(requiredBump(diff())).toEqual({ level: 'none', reasons: [] });
    const r = requiredBump(diff({ files: { added: [], removed: [], changed: ['cipa/lib/x.rego', 'policy.wasm'] } }));
    expect(r.level).toBe('patch');
    expect(r.reasons).toEqual(['content changed (cipa/lib/x.rego, policy.wasm)']);
  });

  it('needs a major for a removed control, a raised severity, enforcement brought forward, or a new failure', () => {
    const removed = requiredBump(diff({ controls: { added: [], removed: [{ id: 'CIPA-DEMO-02', title: 't', severity: 'low', advisory: false }], severity: [], metadata: [] } }));
    expect(removed).toEqual({ level: 'major', reasons: ['control CIPA-DEMO-02 removed'] });
    const raised = requiredBump(diff({ controls: { added: [], removed: [], severity: [{ id: 'CIPA-DEMO-01', from: 'low', to: 'high' }], metadata: [] } }));
    expect(raised).toEqual({ level: 'major', reasons: ['control CIPA-DEMO-01 severity raised from low to high'] });
    const lowered = requiredBump(diff({ controls: { added: [], removed: [], severity: [{ id: 'CIPA-DEMO-01', from: 'high', to: 'low' }], metadata: [] } }));
    expect(lowered.level).toBe('patch');
    const forward = requiredBump(diff({ controls: { added: [], removed: [], severity: [], metadata: [{ id: 'CIPA-DEMO-01', fields: ['enforced_from'], enforcedFrom: { from: '2999-01-01' }, enforcementBroughtForward: true }] } }));
    expect(forward).toEqual({ level: 'major', reasons: ['control CIPA-DEMO-01 enforced from now instead of 2999-01-01'] });
    for (const from of ['pass', 'unknown', 'absent'] as const) {
      const r = requiredBump(diff({ decisions: { plans: ['p.json'], compared: 2, flips: [flip('fail', from)] } }));
      expect(r.level, from).toBe('major');
      expect(r.reasons).toEqual([`1 decision of CIPA-DEMO-01 now fails (aws_s3_bucket.a in p.json: ${from} → fail)`]);
    }
  });

  it('needs a minor for new controls, and for new failures of a control not enforced yet', () => {
    const added = requiredBump(diff({ controls: { added: [{ id: 'CIPA-DEMO-03', title: 't', severity: 'high', advisory: true, enforced_from: '2999-01-01' }], removed: [], severity: [], metadata: [] } }));
    expect(added).toEqual({ level: 'minor', reasons: ['control CIPA-DEMO-03 added (enforced from 2999-01-01)'] });
    const advisory = requiredBump(diff({ decisions: { plans: ['p.json'], compared: 2, flips: [flip('fail', 'absent', true)] } }));
    expect(advisory.level).toBe('minor');
    expect(advisory.reasons[0]).toMatch(/advisory until the control's enforced_from date$/);
  });

  it('needs only a patch for decisions that stop failing or become unknown', () => {
    for (const [from, to] of [['fail', 'pass'], ['fail', 'absent'], ['pass', 'unknown'], ['unknown', 'pass']] as const) {
      expect(requiredBump(diff({ decisions: { plans: ['p.json'], compared: 1, flips: [flip(to, from)] } }))).toEqual({ level: 'patch', reasons: ['1 decision changed without a new failure'] });
    }
  });

  it('lists major reasons first', () => {
    const r = requiredBump(diff({
      controls: { added: [{ id: 'CIPA-DEMO-03', title: 't', severity: 'high', advisory: false }], removed: [{ id: 'CIPA-DEMO-02', title: 't', severity: 'low', advisory: false }], severity: [], metadata: [{ id: 'CIPA-DEMO-01', fields: ['title'], enforcedFrom: {}, enforcementBroughtForward: false }] },
    }));
    expect(r).toEqual({ level: 'major', reasons: ['control CIPA-DEMO-02 removed', 'control CIPA-DEMO-03 added', 'control CIPA-DEMO-01 metadata changed (title)'] });
  });
});

describe('providedBump reads versions like npm caret ranges', () => {
  it.each([
    ['1.2.3', '2.0.0', 'major'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '1.2.4', 'patch'],
    ['1.2.3', '1.2.3', 'none'],
    ['1.2.3', '2.0.0-rc.1', 'major'],
    ['0.1.0', '0.2.0', 'major'],
    ['0.1.0', '0.1.1', 'minor'],
    ['0.1.0', '1.0.0', 'major'],
    ['0.0.1', '0.0.2', 'major'],
  ])('%s → %s is %s', (a, b, level) => {
    expect(providedBump(a, b)).toBe(level);
  });
});

describe('checkVersion', () => {
  const major = { level: 'major' as const, reasons: ['control CIPA-DEMO-02 removed'] };
  it('refuses a version too small for the changes, naming the bump, the smallest version and the reasons', () => {
    const error = (() => {
      try {
        checkVersion('0.1.0', '0.1.1', major, 'demo');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(VersionPolicyError);
    expect((error as VersionPolicyError).exitCode).toBe(2);
    expect((error as VersionPolicyError).oneLine()).toBe('demo@0.1.1 is a minor bump from 0.1.0, but the changes need a major (at least 0.2.0): control CIPA-DEMO-02 removed (see docs/versioning.md)');
    expect(() => checkVersion('1.4.2', '1.5.0', major, 'demo')).toThrow(/need a major \(at least 2\.0\.0\)/);
  });
  it('accepts a big enough bump', () => {
    expect(checkVersion('0.1.0', '1.0.0', major)).toEqual({ previous: '0.1.0', version: '1.0.0', required: 'major', provided: 'major' });
    expect(checkVersion('0.1.0', '0.2.0', major).provided).toBe('major');
    expect(checkVersion('1.4.2', '1.4.3', { level: 'patch', reasons: ['x'] }).provided).toBe('patch');
  });
  it('refuses a version that is not newer', () => {
    expect(() => checkVersion('1.4.2', '1.4.2', { level: 'none', reasons: [] }, 'demo')).toThrow('demo@1.4.2 is not newer than 1.4.2');
    expect(() => checkVersion('1.4.2', '1.3.9', { level: 'none', reasons: [] }, 'demo')).toThrow(/not newer/);
  });
  it('lets the release of a prerelease change anything', () => {
    expect(checkVersion('2.0.0-rc.1', '2.0.0', major).provided).toBe('none');
    expect(() => checkVersion('2.0.0-rc.1', '2.0.1', major)).toThrow(/need a major/);
  });
});

describe('pickBaseline', () => {
  it('takes the highest release below the new version, else the highest prerelease', () => {
    expect(pickBaseline(['0.1.0', '0.2.0', '1.0.0'], '1.1.0')).toBe('1.0.0');
    expect(pickBaseline(['1.4.0', '2.0.0'], '1.4.1')).toBe('1.4.0');
    expect(pickBaseline(['1.4.0', '2.0.0-rc.1'], '2.0.0')).toBe('1.4.0');
    expect(pickBaseline(['2.0.0-rc.1'], '2.0.0')).toBe('2.0.0-rc.1');
    expect(pickBaseline(['stable', 'latest', '3.0.0'], '2.0.0')).toBeUndefined();
    expect(pickBaseline([], '1.0.0')).toBeUndefined();
  });
});
