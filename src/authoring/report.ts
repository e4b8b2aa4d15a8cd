import type { DecisionStatus } from '../model.js';

/** A decision in a fixture comparison: a status, or `absent` when the resource is not in the control's scope. */
export type CaseStatus = DecisionStatus | 'absent';

export type FailureKind =
  /** A Rego unit test (`test_…` in a _test.rego) failed or errored. */
  | 'unit'
  /** Both engines agree with each other but not with the expectation file. */
  | 'expectation'
  /** The Wasm path and native opa reach different decisions. */
  | 'engine'
  /** A fixture cannot be used: bad JSON, unknown control id, invalid plan. */
  | 'fixture'
  /** The policy does not compile (syntax, types), for opa test or for Wasm. */
  | 'compile'
  /** A builtin the Wasm path cannot run. */
  | 'capability'
  /** A control's METADATA breaks the schema or is missing. */
  | 'metadata'
  /** A control file's line coverage is below --threshold. */
  | 'coverage';

export interface TestFailure {
  kind: FailureKind;
  /** The control id, when the failure belongs to one control. */
  control?: string;
  /** Where to look, relative to the working directory. */
  file: string;
  line?: number;
  message: string;
  /** Fixture failures: the resource address, the expectation and what each engine decided. */
  resource?: string;
  expected?: CaseStatus;
  wasm?: CaseStatus;
  native?: CaseStatus;
  /** Fixture failures: the plan file of the case. */
  fixture?: string;
}

export interface UnitTestResult {
  /** <package>.<name> */
  name: string;
  package: string;
  file: string;
  line: number;
  control?: string;
  status: 'pass' | 'fail' | 'error' | 'skip';
  message?: string;
  durationMs: number;
}

export interface FixtureResult {
  /** <control dir>/<case>, e.g. cipa-aws-s3-01/public */
  name: string;
  control: string;
  plan: string;
  expectation: string;
  settings?: string;
  status: 'pass' | 'fail';
  /** Every resource compared: expected and both engines' decisions. */
  decisions: Array<{ resource: string; expected: CaseStatus; wasm: CaseStatus; native: CaseStatus }>;
}

export interface FileCoverage {
  file: string;
  control?: string;
  /** Percent of the file's relevant lines covered (opa's own figure). */
  percent: number;
  covered: number;
  notCovered: number;
  /** Uncovered lines, as ranges. */
  uncovered: Array<[number, number]>;
}

export interface ControlSummary {
  id: string;
  package: string;
  file: string;
  unit: { passed: number; failed: number };
  fixtures: { passed: number; failed: number };
  coverage?: number;
  failures: number;
}

export interface TestReport {
  schema: 'cipa.test/v1';
  /** What was tested, as given. */
  root: string;
  policy: string[];
  fixtures?: string;
  run?: string;
  result: 'pass' | 'fail';
  summary: {
    controls: number;
    unit: { total: number; passed: number; failed: number };
    fixtures: { total: number; passed: number; failed: number; withoutExpectation: number };
    failures: number;
    coverage?: { percent: number; threshold?: number };
    /** Why --coverage gave no figures (opa reports coverage only when every unit test passes). */
    coverageUnavailable?: string;
  };
  controls: ControlSummary[];
  failures: TestFailure[];
  unit: UnitTestResult[];
  fixtureResults: FixtureResult[];
  /** Plans in the fixtures directory that have no expectation file (not run). */
  withoutExpectation: string[];
  coverage?: FileCoverage[];
  durationMs: number;
}
