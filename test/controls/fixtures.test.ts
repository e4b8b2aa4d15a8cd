import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverFixtures, readExpectation } from '../../src/authoring/fixtures.js';
import type { TestReport } from '../../src/authoring/report.js';
import { runPolicyTests } from '../../src/authoring/runner.js';
import { ROOT } from '../support/cli.js';

/**
 * The Rego side of the project's own suite is `cipa test rego`: the Rego unit tests, every fixture in
 * testdata/controls through the Wasm path and through native opa, the capability and METADATA checks.
 */
const REGO = join(ROOT, 'rego');
const FIXTURES = join(ROOT, 'testdata', 'controls');
const discovered = discoverFixtures(FIXTURES);

describe('cipa test rego: the built-in library', () => {
  let report: TestReport;

  beforeAll(async () => {
    report = await runPolicyTests(REGO);
  });

  it('finds the fixtures beside rego/, and every fixture plan has an expectation', () => {
    expect(report.fixtures).toBe(join('testdata', 'controls'));
    expect(discovered.cases.length).toBeGreaterThan(0);
    expect(report.withoutExpectation).toEqual([]);
  });

  it('passes: no unit test, fixture, engine, capability or metadata failure', () => {
    expect(report.failures).toEqual([]);
    expect(report.result).toBe('pass');
    expect(report.summary.unit.total).toBeGreaterThan(50);
  });

  it.each(discovered.cases.map((c) => [c.name, c] as const))('%s: Wasm and native opa agree with the expectation', (name, c) => {
    const result = report.fixtureResults.find((f) => f.name === name);
    const problems = report.failures.filter((f) => f.fixture !== undefined && f.fixture.endsWith(`${name}.json`));
    expect(problems, `${name}`).toEqual([]);
    expect(result, `${name} was not run`).toBeDefined();
    const expectation = readExpectation(c.expectationFile);
    expect(report.controls.map((x) => x.id), `${name}: unknown control id`).toContain(expectation.control);
    expect(result!.control).toBe(expectation.control);
    const expected = Object.fromEntries(Object.entries(expectation.decisions).sort(([a], [b]) => a.localeCompare(b)));
    const of = (engine: 'wasm' | 'native') =>
      Object.fromEntries(result!.decisions.filter((d) => d[engine] !== 'absent').map((d) => [d.resource, d[engine]]).sort(([a], [b]) => a!.localeCompare(b!)));
    expect(of('wasm'), 'Wasm path').toEqual(expected);
    expect(of('native'), 'native opa').toEqual(expected);
  });
});
