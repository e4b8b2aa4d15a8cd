import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { ROOT } from '../support/cli.js';
import { describe, expect, it } from 'vitest';
import { renderTestJson, renderTestJunit, renderTestText } from '../../src/authoring/render-test.js';
import { runPolicyTests } from '../../src/authoring/runner.js';
import { displayPath as shown } from '../../src/paths.js';
import { CONTROL_FILE, CONTROL_ID, findLine, replaceLine, smallPolicy } from './helpers.js';

const validateTestReport = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'test-report.schema.json'), 'utf8')) as object);

describe('runPolicyTests', () => {
  it('passes a healthy policy directory: unit tests, fixtures in both engines, metadata, capabilities', async () => {
    const p = smallPolicy();
    const report = await runPolicyTests(p.rego);
    expect(report.failures).toEqual([]);
    expect(report.result).toBe('pass');
    expect(report.fixtures).toBe(shown(join(p.root, 'testdata', 'controls')));
    const control = report.controls.find((c) => c.id === CONTROL_ID)!;
    expect(control.unit.passed).toBeGreaterThan(3);
    expect(control.fixtures.passed).toBeGreaterThanOrEqual(4);
    // every compared decision agrees three ways
    for (const f of report.fixtureResults) for (const d of f.decisions) expect([d.wasm, d.native]).toEqual([d.expected, d.expected]);
    expect(report.unit.some((t) => t.control === undefined)).toBe(true); // library tests (tfplan) are run too
    const json = JSON.parse(renderTestJson(report)) as { schema: string; result: string };
    expect(validateTestReport(json), JSON.stringify(validateTestReport.errors)).toBe(true);
    expect(json).toMatchObject({ schema: 'cipa.test/v1', result: 'pass' });
    expect(renderTestText(report)).toMatch(new RegExp(`ok\\s+${CONTROL_ID}`));
  });

  it('reports an expectation mismatch with control, resource, expected, both engines and the fixture file:line', async () => {
    const p = smallPolicy();
    const expectFile = join(p.fixtures, 'v3_no_encryption.expect.json');
    const expectation = JSON.parse(readFileSync(expectFile, 'utf8')) as { decisions: Record<string, string> };
    const [resource, status] = Object.entries(expectation.decisions)[0]!;
    const wrong = status === 'pass' ? 'fail' : 'pass';
    expectation.decisions[resource] = wrong;
    writeFileSync(expectFile, `${JSON.stringify(expectation, null, 2)}\n`);
    const report = await runPolicyTests(p.rego);
    expect(report.result).toBe('fail');
    const failure = report.failures.find((f) => f.kind === 'expectation')!;
    expect(failure).toMatchObject({ control: CONTROL_ID, resource, expected: wrong, wasm: status, native: status, file: shown(expectFile), line: findLine(expectFile, JSON.stringify(resource)), fixture: shown(join(p.fixtures, 'v3_no_encryption.json')) });
    expect(renderTestText(report)).toContain(`${shown(expectFile)}:${failure.line}: ${resource}: expected ${wrong}, got ${status}`);
  });

  it('a logic change in the control fails its fixtures and unit tests at file:line', async () => {
    const p = smallPolicy();
    const line = findLine(p.control, 'count(_sources(bucket)) == 0');
    replaceLine(p.control, line, '\tcount(_sources(bucket)) == 1');
    const report = await runPolicyTests(p.rego);
    expect(report.result).toBe('fail');
    expect(report.failures.some((f) => f.kind === 'expectation' && f.control === CONTROL_ID)).toBe(true);
    const unit = report.failures.filter((f) => f.kind === 'unit');
    expect(unit.length).toBeGreaterThan(0);
    expect(unit[0]!.file).toMatch(/s3_bucket_default_encryption_test\.rego$/);
    expect(unit[0]!.line).toBeGreaterThan(1);
  });

  it('reports a decision on which the Wasm path and native opa differ, with both values', async () => {
    const p = smallPolicy();
    // The Wasm path is given the plan without planned_values (slimmed); native opa the raw plan. A rule reading
    // planned_values decides differently in the two engines.
    writeFileSync(p.control, `${readFileSync(p.control, 'utf8')}\nfail[bucket] contains "reads planned_values" if {\n\tsome bucket in scope\n\tinput.planned_values\n}\n`);
    const planFile = join(p.fixtures, 'v3_no_encryption.json');
    const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(planFile, JSON.stringify({ ...plan, planned_values: { root_module: {} } }));
    const expectFile = join(p.fixtures, 'v3_no_encryption.expect.json');
    const expectation = JSON.parse(readFileSync(expectFile, 'utf8')) as { decisions: Record<string, string> };
    for (const k of Object.keys(expectation.decisions)) expectation.decisions[k] = 'pass';
    writeFileSync(expectFile, JSON.stringify(expectation, null, 2));
    const other = join(p.fixtures, 'inline_and_siblings.json');
    writeFileSync(other, JSON.stringify({ ...(JSON.parse(readFileSync(other, 'utf8')) as object), planned_values: { root_module: {} } }));
    const report = await runPolicyTests(p.rego);
    const engine = report.failures.filter((f) => f.kind === 'engine');
    expect(engine.length).toBeGreaterThan(0);
    const f = engine.find((x) => x.fixture === shown(join(p.fixtures, 'inline_and_siblings.json')) && x.wasm === 'pass')!;
    expect(f).toMatchObject({ control: CONTROL_ID, expected: 'pass', wasm: 'pass', native: 'fail', file: shown(join(p.fixtures, 'inline_and_siblings.expect.json')) });
    expect(f.message).toContain('the engines disagree: Wasm pass, native opa fail');
  });

  it('names a builtin the Wasm path cannot run, with the file and line', async () => {
    const p = smallPolicy();
    const line = findLine(p.control, 'count(_sources(bucket)) == 0');
    replaceLine(p.control, line, '\tcount(_sources(bucket)) == 0\n\thttp.send({"method": "get", "url": "https://example.com"}).status_code == 200');
    const report = await runPolicyTests(p.rego);
    const failure = report.failures.find((f) => f.kind === 'capability');
    expect(failure, JSON.stringify(report.failures)).toBeDefined();
    expect(failure).toMatchObject({ file: shown(p.control), line: line + 1, control: CONTROL_ID });
    expect(failure!.message).toContain('http.send');
  });

  it('reports a syntax error once, at its line', async () => {
    const p = smallPolicy();
    const line = findLine(p.control, 'some bucket in scope');
    replaceLine(p.control, line, '\tsome bucket in scope {{');
    const report = await runPolicyTests(p.rego);
    expect(report.result).toBe('fail');
    const compile = report.failures.filter((f) => f.kind === 'compile');
    expect(compile.length).toBeGreaterThan(0);
    expect(compile.every((f) => f.file === shown(p.control))).toBe(true);
    expect(compile[0]!.line).toBe(line);
  });

  it('checks METADATA against the schema at file:line', async () => {
    const p = smallPolicy();
    const line = findLine(p.control, '#   severity: high');
    replaceLine(p.control, line, '#   severity: catastrophic');
    const report = await runPolicyTests(p.rego);
    const failure = report.failures.find((f) => f.kind === 'metadata');
    expect(failure, JSON.stringify(report.failures)).toBeDefined();
    expect(failure!.file).toBe(shown(p.control));
    expect(failure!.message).toMatch(/severity/);
  });

  it('--run selects controls, tests and fixtures; coverage is per control file and --threshold fails below it', async () => {
    const p = smallPolicy();
    const none = await runPolicyTests(p.rego, { run: '^NOTHING$' });
    expect(none.controls).toEqual([]);
    expect(none.fixtureResults).toEqual([]);
    expect(none.unit).toEqual([]);
    const some = await runPolicyTests(p.rego, { run: 'S3-02', coverage: true, threshold: 100 });
    expect(some.controls.map((c) => c.id)).toEqual([CONTROL_ID]);
    expect(some.fixtureResults.length).toBeGreaterThan(0);
    const cov = some.coverage!.find((c) => c.control === CONTROL_ID)!;
    expect(cov.file).toBe(shown(p.control));
    expect(cov.percent).toBeGreaterThan(50);
    if (cov.percent < 100) {
      const failure = some.failures.find((f) => f.kind === 'coverage')!;
      expect(failure).toMatchObject({ control: CONTROL_ID, file: shown(p.control), line: cov.uncovered[0]![0] });
    }
    const low = await runPolicyTests(p.rego, { run: 'S3-02', threshold: 1 });
    expect(low.failures.filter((f) => f.kind === 'coverage')).toEqual([]);
    await expect(runPolicyTests(p.rego, { run: '(' })).rejects.toThrow(/--run/);
  });

  it('coverage counts lines the fixtures evaluate, not only unit tests', async () => {
    const p = smallPolicy();
    rmSync(p.control.replace(/\.rego$/, '_test.rego'));
    const report = await runPolicyTests(p.rego, { coverage: true });
    expect(validateTestReport(JSON.parse(renderTestJson(report))), JSON.stringify(validateTestReport.errors)).toBe(true);
    expect(report.unit.filter((t) => t.control === CONTROL_ID)).toEqual([]);
    const cov = report.coverage!.find((c) => c.control === CONTROL_ID)!;
    expect(cov.percent).toBeGreaterThan(50);
    const fixturesOnly = await runPolicyTests(p.rego, { coverage: true, fixtures: join(p.root, 'no-fixtures-here') }).catch((e: Error) => e);
    expect(fixturesOnly).toBeInstanceOf(Error); // a --fixtures directory must exist
  });

  it('renders JUnit with a suite per control and failures carrying file and line', async () => {
    const p = smallPolicy();
    const expectFile = join(p.fixtures, 'v3_no_encryption.expect.json');
    const e = JSON.parse(readFileSync(expectFile, 'utf8')) as { decisions: Record<string, string> };
    const first = Object.keys(e.decisions)[0]!;
    e.decisions[first] = e.decisions[first] === 'pass' ? 'fail' : 'pass';
    writeFileSync(expectFile, JSON.stringify(e, null, 2));
    const report = await runPolicyTests(p.rego);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(renderTestJunit(report)) as {
      testsuites: { failures: string; testsuite: Array<{ name: string; testcase: Array<{ name: string; file: string; line?: string; failure?: { type: string; message: string } }> }> };
    };
    expect(Number(xml.testsuites.failures)).toBe(1);
    const suite = xml.testsuites.testsuite.find((s) => s.name === CONTROL_ID)!;
    const failed = suite.testcase.filter((c) => c.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.name).toBe('fixture cipa-aws-s3-02/v3_no_encryption');
    expect(failed[0]!.failure!.type).toBe('expectation');
    expect(failed[0]!.failure!.message).toContain(`${shown(expectFile)}:`);
    expect(suite.testcase.filter((c) => !c.failure).length).toBeGreaterThan(5);
  });

  it('an unusable fixture is a failure at its file: unknown control id, broken expectation', async () => {
    const p = smallPolicy();
    const plan = join(p.fixtures, 'v3_no_encryption.json');
    writeFileSync(join(p.fixtures, 'other.json'), readFileSync(plan));
    writeFileSync(join(p.fixtures, 'other.expect.json'), '{\n  "control": "CIPA-NOPE-01",\n  "decisions": {}\n}\n');
    writeFileSync(join(p.fixtures, 'broken.json'), readFileSync(plan));
    writeFileSync(join(p.fixtures, 'broken.expect.json'), '{"control": "CIPA-AWS-S3-02", "decisions": {"a": "maybe"}}');
    writeFileSync(join(p.fixtures, 'lonely.json'), readFileSync(plan));
    const report = await runPolicyTests(p.rego);
    const fixture = report.failures.filter((f) => f.kind === 'fixture');
    expect(fixture).toContainEqual(expect.objectContaining({ file: shown(join(p.fixtures, 'other.expect.json')), line: 2, message: 'control CIPA-NOPE-01 is not in the policy' }));
    expect(fixture).toContainEqual(expect.objectContaining({ file: shown(join(p.fixtures, 'broken.expect.json')), message: expect.stringContaining('"maybe" is not pass, fail or unknown') }));
    expect(report.withoutExpectation).toEqual([shown(join(p.fixtures, 'lonely.json'))]);
    expect(renderTestText(report)).toContain('have no .expect.json');
  });

  it('fails with a typed error (exit 2) for what is not a policy', async () => {
    await expect(runPolicyTests('/nonexistent/dir')).rejects.toMatchObject({ exitCode: 2 });
    const p = smallPolicy();
    await expect(runPolicyTests(join(p.root, 'testdata'))).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/neither a bundle definition/) });
  });
});

export { CONTROL_FILE };

describe('displayPath', () => {
  it.each([
    ['the working directory itself', '/work/repo', '/work/repo', '.'],
    ['a file below it', '/work/repo/rego/a.rego', '/work/repo', 'rego/a.rego'],
    ['a sibling two levels up', '/tmp/x/a.json', '/work/repo', '../../tmp/x/a.json'],
    ['a file three levels up, from a deep checkout', '/tmp/x/a.json', '/check/work/main', '/tmp/x/a.json'],
    ['a file far away', '/tmp/x/a.json', '/a/b/c/d/e', '/tmp/x/a.json'],
  ])('%s', (_case, file, cwd, expected) => {
    expect(shown(file, cwd)).toBe(expected);
  });
});
