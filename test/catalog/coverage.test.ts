import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { availableBenchmarks, checkBenchmark, coverage, listControls, loadBenchmark, renderCoverageJson, renderCoverageText, type Benchmark } from '../../src/catalog/index.js';
import { CipaError, UsageError } from '../../src/errors.js';
import type { ControlMeta } from '../../src/model.js';
import { readCatalog } from '../../src/policy/catalog.js';
import { ROOT } from '../support/cli.js';

/**
 * Framework keys that controls use but that have no recommendation list in data/benchmarks/ yet. A key not listed
 * here and without a file fails the suite: it is either a typo ("cis-aws-14") or a benchmark that needs a list.
 */
const UNLISTED_FRAMEWORKS = new Set<string>([]);
const AVAILABLE = 'cis-aws-1.4, cis-aws-1.5, cis-azure-1.3, cis-azure-2.0, cis-azure-3.0, cis-gcp-1.3, cis-gcp-2.0';

const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

/** CIS AWS Foundations Benchmark v1.4.0, section by section. */
const CIS_AWS_14_IDS = [
  ...range('1.', 1, 21),
  ...range('2.1.', 1, 5),
  '2.2.1',
  '2.3.1',
  ...range('3.', 1, 11),
  ...range('4.', 1, 15),
  ...range('5.', 1, 4),
];

/** Every control's METADATA, read from the Rego sources with opa inspect (so a typo fails before the bundle is rebuilt). */
let sourceControls: Promise<ControlMeta[]> | undefined;
const fromSources = () => (sourceControls ??= readCatalog(join(ROOT, 'rego')).then((c) => c.controls));

describe('the benchmark lists in data/benchmarks', () => {
  it('are there for the frameworks the controls map to, and each is well formed', () => {
    const available = availableBenchmarks();
    expect(available.join(', ')).toBe(AVAILABLE);
    for (const framework of available) {
      const b = loadBenchmark(framework);
      expect(b.framework).toBe(framework);
      for (const r of b.recommendations) if (!r.checkable_from_plan) expect(r.reason, `${framework} ${r.id}`).toMatch(/\w{3,}.*\w{3,}/);
    }
  });

  it('cis-aws-1.4 lists exactly the recommendations of v1.4.0, in benchmark order', () => {
    const b = loadBenchmark('cis-aws-1.4');
    expect(b.version).toBe('1.4.0');
    expect(b.sections).toBe('all');
    expect(b.recommendations.map((r) => r.id)).toEqual(CIS_AWS_14_IDS);
  });

  it('cis-aws-1.5 adds RDS, EFS and Security Hub items and renumbers section 5', () => {
    const b = loadBenchmark('cis-aws-1.5');
    expect(b.version).toBe('1.5.0');
    const expected = [...CIS_AWS_14_IDS.filter((id) => !id.startsWith('5.')), '2.3.2', '2.3.3', '2.4.1', '4.16', ...range('5.', 1, 5)];
    expect(b.recommendations.map((r) => r.id).sort()).toEqual(expected.sort());
    expect(b.recommendations.find((r) => r.id === '5.4')?.title).toMatch(/default security group/);
  });

  it('the partial lists say which sections they hold', () => {
    expect(loadBenchmark('cis-azure-1.3').sections).toEqual(['3', '6']);
    expect(loadBenchmark('cis-azure-2.0').sections).toEqual(['3', '4.1', '6']);
    expect(loadBenchmark('cis-azure-3.0').sections).toEqual(['4']);
    expect(loadBenchmark('cis-gcp-1.3').sections).toEqual(['1', '3']);
    expect(loadBenchmark('cis-gcp-2.0').sections).toEqual(['1', '3']);
    expect(loadBenchmark('cis-azure-2.0').recommendations.map((r) => r.id)).toEqual([...range('3.', 1, 15), ...range('4.1.', 1, 6), ...range('6.', 1, 7)]);
    expect(loadBenchmark('cis-gcp-2.0').recommendations.map((r) => r.id)).toEqual([...range('1.', 1, 18), ...range('3.', 1, 10)]);
  });

  it('an unknown framework is a usage error (exit 2) that names the available ones', () => {
    let error: unknown;
    try {
      loadBenchmark('cis-aws-9.9');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as CipaError).exitCode).toBe(2);
    expect((error as CipaError).oneLine()).toBe(`--coverage: no recommendation list for framework "cis-aws-9.9" (available: ${AVAILABLE})`);
  });

  it('checkBenchmark refuses malformed lists, naming the file and the recommendation', () => {
    const good = { framework: 'x-1.0', title: 'X', version: '1.0.0', sections: ['1'], recommendations: [{ id: '1.1', title: 'a', checkable_from_plan: true }] };
    const attempt = (patch: object) => () => checkBenchmark({ ...good, ...patch }, 'x-1.0.json', 'x-1.0');
    expect(attempt({})).not.toThrow();
    expect(attempt({ framework: 'x-1.1' })).toThrow(/x-1\.0\.json: declares framework "x-1\.1", expected "x-1\.0"/);
    expect(attempt({ recommendations: [{ id: '1.1', title: 'a', checkable_from_plan: true }, { id: '1.1', title: 'b', checkable_from_plan: true }] })).toThrow(/recommendation 1\.1 is listed twice/);
    expect(attempt({ recommendations: [{ id: '1.2', title: 'a', checkable_from_plan: false }] })).toThrow(/recommendation 1\.2 is not checkable from a plan but gives no reason/);
    expect(attempt({ recommendations: [{ id: '2.1', title: 'a', checkable_from_plan: true }] })).toThrow(/recommendation 2\.1 is outside the listed sections 1/);
    expect(attempt({ recommendations: [{ id: 'one', title: 'a', checkable_from_plan: true }] })).toThrow(/recommendation one has no dotted numeric id/);
    expect(attempt({ recommendations: [{ title: 'a', checkable_from_plan: true }] })).toThrow(/recommendations\[0\] has no dotted numeric id/);
    expect(attempt({ recommendations: [{ id: '1.3', title: 'a' }] })).toThrow(/recommendation 1\.3 has no checkable_from_plan/);
  });
});

describe('framework references in METADATA', () => {
  /** Every (control, framework, recommendation) that names a recommendation its benchmark file does not have. */
  function badReferences(controls: ControlMeta[]): string[] {
    const available = new Set(availableBenchmarks());
    const lists = new Map([...available].map((f) => [f, loadBenchmark(f)] as const));
    const bad: string[] = [];
    for (const c of controls) {
      for (const [framework, refs] of Object.entries(c.frameworks)) {
        const b = lists.get(framework);
        if (!b) {
          if (!UNLISTED_FRAMEWORKS.has(framework)) bad.push(`${c.id}: framework ${framework} has no data/benchmarks/${framework}.json (typo, or add the list)`);
          continue;
        }
        const ids = new Set(b.recommendations.map((r) => r.id));
        for (const ref of refs) if (!ids.has(ref)) bad.push(`${c.id}: ${framework} has no recommendation ${ref}`);
      }
    }
    return bad;
  }

  it('name recommendations that exist, in every control of the Rego sources', async () => {
    const controls = await fromSources();
    expect(controls.length).toBeGreaterThan(0);
    expect(badReferences(controls)).toEqual([]);
  });

  it('name recommendations that exist, in every control of the built-in bundle', async () => {
    expect(badReferences((await listControls()).controls)).toEqual([]);
  });

  it('the check itself catches a typo such as 2.1.6 and an unknown framework key', () => {
    const typo: ControlMeta = {
      id: 'CIPA-AWS-S3-99', title: 't', description: 'd', severity: 'low', aliases: [], remediation: 'r', resource_types: ['aws_s3_bucket'],
      package: 'cipa.controls.aws.x', file: 'x.rego', frameworks: { 'cis-aws-1.4': ['2.1.5', '2.1.6'], 'cis-aws-14': ['1.1'] },
    };
    expect(badReferences([typo])).toEqual([
      'CIPA-AWS-S3-99: cis-aws-1.4 has no recommendation 2.1.6',
      'CIPA-AWS-S3-99: framework cis-aws-14 has no data/benchmarks/cis-aws-14.json (typo, or add the list)',
    ]);
  });

  it('never point at a recommendation the list marks as not checkable from a plan', async () => {
    const controls = await fromSources();
    const contradictions: string[] = [];
    for (const framework of availableBenchmarks()) {
      const report = coverage(controls, loadBenchmark(framework));
      const notCheckable = new Set(loadBenchmark(framework).recommendations.filter((r) => !r.checkable_from_plan).map((r) => r.id));
      for (const c of report.covered) if (notCheckable.has(c.id)) contradictions.push(`${framework} ${c.id} ← ${c.controls.join(', ')}`);
    }
    expect(contradictions).toEqual([]);
  });

  it('the unlisted framework keys are still in use (drop them from the list when they are not)', async () => {
    const used = new Set((await fromSources()).flatMap((c) => Object.keys(c.frameworks)));
    for (const key of UNLISTED_FRAMEWORKS) expect(used.has(key) || availableBenchmarks().includes(key), key).toBe(true);
  });
});

describe('coverage', () => {
  const bench: Benchmark = {
    framework: 'cis-test-1.0',
    title: 'Test Benchmark',
    version: '1.0.0',
    sections: 'all',
    recommendations: [
      { id: '1.1', title: 'Process thing', checkable_from_plan: false, reason: 'a process' },
      { id: '1.2', title: 'Checked thing', checkable_from_plan: true },
      { id: '1.10', title: 'Later thing', checkable_from_plan: true },
      { id: '2.1', title: 'Gap', checkable_from_plan: true },
    ],
  };
  const meta = (id: string, frameworks: Record<string, string[]>): ControlMeta => ({
    id, title: id, description: 'd', severity: 'low', aliases: [], remediation: 'r', resource_types: ['t'], package: `p.${id}`, file: 'f', frameworks,
  });

  it('sorts recommendations into covered (with control ids), not checkable (with reason) and missing', () => {
    const report = coverage(
      [meta('CIPA-B-10', { 'cis-test-1.0': ['1.10'] }), meta('CIPA-B-2', { 'cis-test-1.0': ['1.10', '1.2', '1.10'] }), meta('CIPA-C-1', { 'other-1.0': ['2.1'] }), meta('CIPA-D-1', { 'cis-test-1.0': ['9.9'] })],
      bench,
    );
    expect(report.covered).toEqual([
      { id: '1.2', title: 'Checked thing', controls: ['CIPA-B-2'] },
      { id: '1.10', title: 'Later thing', controls: ['CIPA-B-2', 'CIPA-B-10'] },
    ]);
    expect(report.not_checkable).toEqual([{ id: '1.1', title: 'Process thing', reason: 'a process' }]);
    expect(report.missing).toEqual([{ id: '2.1', title: 'Gap' }]);
    expect(report.unknown_references).toEqual([{ control: 'CIPA-D-1', recommendation: '9.9' }]);
    expect(report.summary).toEqual({ recommendations: 4, covered: 2, not_checkable: 1, missing: 1 });
  });

  it('renders text with the three lists and a summary, and json as the report itself', () => {
    const report = coverage([meta('CIPA-B-2', { 'cis-test-1.0': ['1.2', '7.7'] })], bench);
    const text = renderCoverageText(report);
    expect(text).toContain('Test Benchmark v1.0.0 (cis-test-1.0)');
    expect(text).toMatch(/Covered \(1\)\n {2}1\.2 +Checked thing +← CIPA-B-2\n/);
    expect(text).toMatch(/Not checkable from a plan \(1\)\n {2}1\.1 +Process thing +— a process\n/);
    expect(text).toMatch(/Missing \(2\)\n {2}1\.10 +Later thing\n {2}2\.1 +Gap\n/);
    expect(text).toContain('CIPA-B-2 references 7.7, which cis-test-1.0 does not have');
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 of 4 recommendations covered; 1 not checkable from a plan; 2 missing (33% of what a plan can check)');
    expect(JSON.parse(renderCoverageJson(report))).toEqual(report);
  });

  it('of the built-in bundle against cis-aws-1.4 accounts for every recommendation exactly once', async () => {
    const report = coverage((await listControls()).controls, loadBenchmark('cis-aws-1.4'));
    const all = [...report.covered, ...report.not_checkable, ...report.missing].map((r) => r.id).sort();
    expect(all).toEqual([...CIS_AWS_14_IDS].sort());
    expect(report.covered.map((r) => r.id)).toEqual(expect.arrayContaining(['2.1.5', '5.2']));
    expect(report.unknown_references).toEqual([]);
  });
});
