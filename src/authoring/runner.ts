import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { CipaError, InputError, ToolError, UsageError } from '../errors.js';
import { loadBundle, readPlan, type LoadedBundle } from '../evaluate.js';
import type { ControlMeta, PolicyReport } from '../model.js';
import { runOpa } from '../opa/run.js';
import { buildBundle, type BuiltBundle } from '../policy/build.js';
import { readCatalog } from '../policy/catalog.js';
import { compileWasm } from '../policy/compile.js';
import { displayPath } from '../paths.js';
import { discoverFixtures, lineOf, readExpectation, type Expectation, type FixtureCase } from './fixtures.js';
import { resolveProject, type PolicyProject } from './project.js';
import type { CaseStatus, ControlSummary, FileCoverage, FixtureResult, TestFailure, TestReport, UnitTestResult } from './report.js';

export interface PolicyTestOptions {
  /** A regular expression (case-insensitive) over control ids, packages, unit test names and fixture names. */
  run?: string;
  /** Line coverage per control file: lines evaluated by a unit test (opa test --coverage) or a fixture (opa eval --coverage). */
  coverage?: boolean;
  /** Percent: a control file below it is a failure (implies coverage). */
  threshold?: number;
  /** Fixtures directory (default: testdata/controls of the project). */
  fixtures?: string;
}

/** Per-test timeout for opa test: generous, so a loaded CI machine does not turn slow tests into failures. */
const OPA_TEST_TIMEOUT = '120s';

interface LocatedControl extends ControlMeta {
  /** Absolute path of the control's .rego file. */
  abs: string;
}

/**
 * Runs everything that tells a policy author whether a policy directory is ready: the Rego unit tests with the
 * pinned opa, every fixture that has an expectation through the Wasm path and through native opa, the Wasm
 * capability check and the METADATA schema check. Never prints; throws CipaErrors only for what stops the run
 * itself (no such directory, opa missing, a bad --run pattern). Everything wrong with the policy is a failure
 * in the report.
 */
export async function runPolicyTests(dir: string, options: PolicyTestOptions = {}): Promise<TestReport> {
  const started = Date.now();
  const project = await resolveProject(dir, options.fixtures === undefined ? {} : { fixtures: options.fixtures });
  const pattern = compilePattern(options.run);
  const wantCoverage = options.coverage === true || options.threshold !== undefined;
  if (options.threshold !== undefined && !(options.threshold >= 0 && options.threshold <= 100)) {
    throw new UsageError(`--threshold ${options.threshold} is not a percentage`, 'use a number from 0 to 100');
  }

  const failures: TestFailure[] = [];
  const [unitRun, coverageRun, built] = await Promise.all([
    runUnitTests(project),
    wantCoverage ? runOpa(['test', '--coverage', '--format', 'json', '--timeout', OPA_TEST_TIMEOUT, ...ownTestFilter(project), ...project.policyDirs]) : Promise.resolve(undefined),
    buildForTests(project),
  ]);
  // A bundle that builds has a clean catalog; otherwise read every directory's catalog for all its problems.
  const catalog = built.bundle ? { controls: locate(built.bundle.built.controls, project), problems: [] } : await readCatalogs(project);

  const controls = catalog.controls;
  const controlOf = (file: string): LocatedControl | undefined => {
    const abs = resolve(file);
    return controls.find((c) => abs === c.abs || abs.startsWith(dirname(c.abs) + sep));
  };
  const own = project.ownDirs.map((d) => resolve(d) + sep);
  const isOwn = (file: string) => own.some((d) => resolve(file).startsWith(d));
  const selectedIds = new Set(controls.filter((c) => isOwn(c.abs)).filter((c) => !pattern || pattern.test(c.id) || pattern.test(c.package)).map((c) => c.id));
  const withControl = (f: TestFailure): TestFailure => {
    const c = controlOf(f.file);
    return c && f.control === undefined ? { ...f, control: c.id } : f;
  };

  // Compile problems (opa test and the Wasm build report the same ones) and capability problems, once each.
  const seen = new Set<string>();
  for (const f of [...built.failures, ...unitRun.failures]) {
    const key = `${f.file}:${f.line ?? 0}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push(withControl(f));
  }
  for (const p of catalog.problems) failures.push(withControl({ kind: 'metadata', file: p.file, line: p.line, message: p.message }));

  // Unit tests.
  const unit: UnitTestResult[] = [];
  for (const t of unitRun.results) {
    // The installed built-in library is tested by cipa itself; a repository reports its own tests.
    if (!isOwn(t.file)) continue;
    const control = controlOf(t.file);
    const result: UnitTestResult = { ...t, file: displayPath(t.file) };
    if (control) result.control = control.id;
    const selected = !pattern || pattern.test(`${t.package}.${t.name}`) || (control !== undefined && selectedIds.has(control.id));
    if (!selected) continue;
    unit.push(result);
    if (t.status === 'fail' || t.status === 'error') {
      failures.push({
        kind: 'unit',
        ...(control ? { control: control.id } : {}),
        file: displayPath(t.file),
        line: t.line,
        message: `${t.name} ${t.status === 'fail' ? 'failed' : `errored: ${t.message ?? ''}`}`.trim(),
      });
    }
  }

  // Fixtures through both engines.
  const discovered = discoverFixtures(project.fixturesDir);
  const fixtureResults: FixtureResult[] = [];
  let fixtureCoverage: OpaCoverage | undefined;
  if (built.bundle) {
    const cases = discovered.cases;
    const run = await runFixtures(cases, built.bundle, new Set(controls.map((c) => c.id)), (c, e) => !pattern || pattern.test(c.name) || selectedIds.has(e.control), wantCoverage);
    fixtureCoverage = run.coverage;
    for (const r of run.outcomes) {
      if ('failure' in r) {
        failures.push(withControl(r.failure));
        continue;
      }
      fixtureResults.push(r.result);
      const control = controls.find((c) => c.id === r.result.control);
      for (const d of r.result.decisions) {
        if (d.expected === d.wasm && d.expected === d.native) continue;
        const engines = d.wasm !== d.native;
        failures.push({
          kind: engines ? 'engine' : 'expectation',
          control: r.result.control,
          file: r.result.expectation,
          line: lineOf(r.result.expectation, d.resource),
          message: engines
            ? `${d.resource}: the engines disagree: Wasm ${d.wasm}, native opa ${d.native} (expected ${d.expected})`
            : `${d.resource}: expected ${d.expected}, got ${d.wasm} (Wasm and native opa)${control ? ` from ${displayPath(control.abs)}` : ''}`,
          resource: d.resource,
          expected: d.expected,
          wasm: d.wasm,
          native: d.native,
          fixture: r.result.plan,
        });
      }
    }
  }

  // Coverage of each control file.
  let coverage: FileCoverage[] | undefined;
  let coveragePercent: number | undefined;
  if (coverageRun) {
    const parsed = parseCoverage(coverageRun.stdout, fixtureCoverage, project, controlOf);
    if (parsed === undefined && unitRun.results.every((t) => t.status === 'pass' || t.status === 'skip') && unitRun.failures.length === 0) {
      failures.push({ kind: 'coverage', file: project.policyDirs.map((file) => displayPath(file)).join(' '), message: `opa test --coverage gave no report: ${(coverageRun.stderr || coverageRun.stdout).trim().split('\n')[0] ?? ''}` });
    }
    if (parsed !== undefined) {
      coverage = parsed.filter((c) => !c.control || selectedIds.has(c.control) || !pattern);
      const covered = coverage.reduce((n, c) => n + c.covered, 0);
      const total = coverage.reduce((n, c) => n + c.covered + c.notCovered, 0);
      coveragePercent = total === 0 ? 100 : Math.round((covered / total) * 10000) / 100;
      if (options.threshold !== undefined) {
        for (const c of coverage) {
          if (c.percent >= options.threshold) continue;
          failures.push({
            kind: 'coverage',
            ...(c.control ? { control: c.control } : {}),
            file: c.file,
            ...(c.uncovered[0] ? { line: c.uncovered[0][0] } : {}),
            message: `line coverage ${c.percent}% is below the threshold of ${options.threshold}% (not covered: ${formatRanges(c.uncovered)})`,
          });
        }
      }
    }
  }

  // Per-control summary.
  const selectedControls = controls.filter((c) => selectedIds.has(c.id));
  const summaries: ControlSummary[] = selectedControls.map((c) => {
    const cov = coverage?.find((f) => f.control === c.id);
    const s: ControlSummary = {
      id: c.id,
      package: c.package,
      file: displayPath(c.abs),
      unit: { passed: unit.filter((t) => t.control === c.id && t.status === 'pass').length, failed: unit.filter((t) => t.control === c.id && (t.status === 'fail' || t.status === 'error')).length },
      fixtures: { passed: fixtureResults.filter((f) => f.control === c.id && f.status === 'pass').length, failed: fixtureResults.filter((f) => f.control === c.id && f.status === 'fail').length },
      failures: failures.filter((f) => f.control === c.id).length,
    };
    if (cov) s.coverage = cov.percent;
    return s;
  });

  failures.sort((a, b) => (a.control ?? '\uffff').localeCompare(b.control ?? '\uffff') || a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0) || a.message.localeCompare(b.message));
  const report: TestReport = {
    schema: 'cipa.test/v1',
    root: dir,
    policy: project.policyDirs.map((file) => displayPath(file)),
    result: failures.length > 0 ? 'fail' : 'pass',
    summary: {
      controls: selectedControls.length,
      unit: { total: unit.length, passed: unit.filter((t) => t.status === 'pass').length, failed: unit.filter((t) => t.status === 'fail' || t.status === 'error').length },
      fixtures: {
        total: fixtureResults.length,
        passed: fixtureResults.filter((f) => f.status === 'pass').length,
        failed: fixtureResults.filter((f) => f.status === 'fail').length,
        withoutExpectation: discovered.withoutExpectation.length,
      },
      failures: failures.length,
    },
    controls: summaries,
    failures,
    unit,
    fixtureResults,
    withoutExpectation: discovered.withoutExpectation.map((file) => displayPath(file)),
    durationMs: Date.now() - started,
  };
  if (project.fixturesDir) report.fixtures = displayPath(project.fixturesDir);
  if (options.run !== undefined) report.run = options.run;
  if (coverageRun && coverage === undefined) report.summary.coverageUnavailable = 'not measured: opa reports coverage only when every unit test passes';
  if (coverage) {
    report.coverage = coverage;
    report.summary.coverage = { percent: coveragePercent ?? 100, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) };
  }
  return report;
}

function compilePattern(run: string | undefined): RegExp | undefined {
  if (run === undefined || run === '') return undefined;
  try {
    return new RegExp(run, 'i');
  } catch (error) {
    throw new UsageError(`--run ${run} is not a regular expression: ${(error as Error).message}`);
  }
}


// --- Unit tests ----------------------------------------------------------------------------------------------

interface OpaTestRow {
  location?: { file: string; row: number };
  package: string;
  name: string;
  fail?: boolean;
  skip?: boolean;
  error?: { message?: string; code?: string } | string;
  duration?: number;
}

/**
 * opa test loads every policy directory (the project's controls need the built-in libraries) but, when the
 * project has directories of its own, runs only the tests of their packages: the installed built-in library is
 * tested by cipa's own suite.
 */
function ownTestFilter(project: PolicyProject): string[] {
  if (project.ownDirs.length === project.policyDirs.length) return [];
  const packages = new Set<string>();
  for (const dir of project.ownDirs) {
    let entries: string[];
    try {
      entries = readdirSync(dir, { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.endsWith('.rego')) continue;
      const m = /^package\s+([A-Za-z0-9_.]+)/m.exec(readFileSync(join(dir, entry), 'utf8'));
      if (m) packages.add(m[1]!);
    }
  }
  if (packages.size === 0) return [];
  const escaped = [...packages].sort().map((p) => p.replace(/\./g, '\\.'));
  return ['--run', `^data\\.(${escaped.join('|')})\\.`];
}

async function runUnitTests(project: PolicyProject): Promise<{ results: Array<Omit<UnitTestResult, 'control'>>; failures: TestFailure[] }> {
  const r = await runOpa(['test', '--format', 'json', '--timeout', OPA_TEST_TIMEOUT, ...ownTestFilter(project), ...project.policyDirs]);
  let rows: OpaTestRow[] | undefined;
  try {
    const parsed = JSON.parse(r.stdout) as unknown;
    if (Array.isArray(parsed)) rows = parsed as OpaTestRow[];
  } catch {
    rows = undefined;
  }
  if (!rows) {
    const failures = compileFailures(r.stderr || r.stdout);
    if (failures.length === 0 && r.code !== 0) throw new ToolError(`opa test failed: ${(r.stderr || r.stdout).trim().split('\n')[0] ?? 'no output'}`);
    return { results: [], failures };
  }
  const results = rows.map((row) => {
    const status: UnitTestResult['status'] = row.error ? 'error' : row.fail ? 'fail' : row.skip ? 'skip' : 'pass';
    const pkg = row.package.replace(/^data\./, '');
    const out: Omit<UnitTestResult, 'control'> = {
      name: `${pkg}.${row.name}`,
      package: pkg,
      file: row.location?.file ?? '',
      line: row.location?.row ?? 1,
      status,
      durationMs: Math.round((row.duration ?? 0) / 1e6),
    };
    if (row.error) out.message = typeof row.error === 'string' ? row.error : row.error.message ?? 'error';
    return out;
  });
  results.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { results, failures: [] };
}

/** opa's compiler errors (`file.rego:12: rego_type_error: …`), one failure each. */
export function compileFailures(output: string): TestFailure[] {
  const failures: TestFailure[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim().replace(/^\d+ errors? occurred[^:]*:\s*/, '');
    const m = /^(\S+\.rego):(\d+): (\S+): (.*)$/.exec(line);
    if (!m) continue;
    const undefinedFn = /undefined function (\S+)/.exec(m[4]!);
    failures.push({ kind: 'compile', file: displayPath(m[1]!), line: Number(m[2]), message: undefinedFn ? `${m[3]}: undefined function ${undefinedFn[1]}` : `${m[3]}: ${m[4]}` });
  }
  return failures;
}

/** Catalog entries with the absolute path of their file (the policy directory that holds it). */
function locate(controls: ControlMeta[], project: PolicyProject): LocatedControl[] {
  return controls
    .map((c) => ({ ...c, abs: join(project.policyDirs.find((d) => existsSync(join(d, c.file))) ?? project.policyDirs[0]!, c.file) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

// --- Metadata -------------------------------------------------------------------------------------------------

async function readCatalogs(project: PolicyProject): Promise<{ controls: LocatedControl[]; problems: Array<{ file: string; line: number; message: string }> }> {
  const controls: LocatedControl[] = [];
  const problems: Array<{ file: string; line: number; message: string }> = [];
  for (const dir of project.policyDirs) {
    try {
      const catalog = await readCatalog(dir);
      problems.push(...catalog.problems);
      controls.push(...catalog.controls.map((c) => ({ ...c, abs: join(dir, c.file) })));
    } catch (error) {
      // A policy that does not parse has no catalog; opa test and the Wasm build report where it breaks.
      if (!(error instanceof CipaError)) throw error;
    }
  }
  controls.sort((a, b) => a.id.localeCompare(b.id));
  return { controls, problems };
}

// --- Wasm build (capabilities) ------------------------------------------------------------------------------------

interface BuiltForTests {
  bundle?: { built: BuiltBundle; path: string; cleanup: () => Promise<void> };
  failures: TestFailure[];
}

async function buildForTests(project: PolicyProject): Promise<BuiltForTests> {
  try {
    const built = await buildBundle({ definition: project.definition });
    const dir = await mkdtemp(join(tmpdir(), 'cipa-test-'));
    const path = join(dir, 'bundle.tar.gz');
    await writeFile(path, built.bytes);
    return { bundle: { built, path, cleanup: () => rm(dir, { recursive: true, force: true }) }, failures: [] };
  } catch (error) {
    if (!(error instanceof CipaError)) throw error;
    // The build stops at the first METADATA problem (reported by the catalog step); run the Wasm compile alone
    // so a builtin the Wasm path cannot run is still named.
    let compileProblem: CipaError = error;
    if (error.code === 'compile' && !/builtin|rego_/.test(error.message)) {
      try {
        await compileWasm(project.policyDirs);
        return { failures: [] };
      } catch (inner) {
        if (!(inner instanceof CipaError)) throw inner;
        compileProblem = inner;
      }
    }
    const m = /^(\S+?):(\d+): (.*)$/s.exec(compileProblem.message);
    if (m) {
      const capability = /is not available in the Wasm path/.test(m[3]!);
      return {
        failures: [{
          kind: capability ? 'capability' : 'compile',
          file: m[1]!,
          line: Number(m[2]),
          message: capability ? `${m[3]} (${compileProblem.hint ?? 'only the builtins in rego/capabilities.json run in Node'})` : m[3]!,
        }],
      };
    }
    const anywhere = /(\S+\.rego):(\d+): (rego_\w+): (.*)$/.exec(compileProblem.message);
    if (anywhere) return { failures: [{ kind: 'compile', file: displayPath(anywhere[1]!), line: Number(anywhere[2]), message: `${anywhere[3]}: ${anywhere[4]}` }] };
    if (compileProblem instanceof InputError) return { failures: [{ kind: 'metadata', file: displayPath(compileProblem.file), message: compileProblem.message }] };
    throw compileProblem;
  }
}

// --- Fixtures ------------------------------------------------------------------------------------------------------

type FixtureOutcome = { result: FixtureResult } | { failure: TestFailure };

async function runFixtures(
  all: FixtureCase[],
  bundle: NonNullable<BuiltForTests['bundle']>,
  known: Set<string>,
  selected: (c: FixtureCase, e: Expectation) => boolean,
  coverage: boolean,
): Promise<{ outcomes: FixtureOutcome[]; coverage?: OpaCoverage }> {
  try {
    const outcomes: FixtureOutcome[] = [];
    const ready: Array<{ c: FixtureCase; expectation: Expectation; input: unknown; settings?: unknown }> = [];
    for (const c of all) {
      let expectation: Expectation;
      try {
        expectation = readExpectation(c.expectationFile);
      } catch (error) {
        if (error instanceof CipaError) outcomes.push({ failure: { kind: 'fixture', file: displayPath(c.expectationFile), line: 1, message: error.message.replace(`${c.expectationFile}: `, ''), fixture: displayPath(c.plan) } });
        else throw error;
        continue;
      }
      if (!selected(c, expectation)) continue;
      if (!known.has(expectation.control)) {
        outcomes.push({ failure: { kind: 'fixture', file: displayPath(c.expectationFile), line: lineOf(c.expectationFile, expectation.control), message: `control ${expectation.control} is not in the policy`, fixture: displayPath(c.plan) } });
        continue;
      }
      let input: unknown;
      let settings: unknown;
      try {
        input = JSON.parse(readFileSync(c.plan, 'utf8')) as unknown;
        if (c.settingsFile) settings = JSON.parse(readFileSync(c.settingsFile, 'utf8')) as unknown;
      } catch (error) {
        const file = settings === undefined && input !== undefined && c.settingsFile ? c.settingsFile : c.plan;
        outcomes.push({ failure: { kind: 'fixture', control: expectation.control, file: displayPath(file), line: 1, message: `is not valid JSON: ${(error as Error).message}`, fixture: displayPath(c.plan) } });
        continue;
      }
      ready.push({ c, expectation, input, ...(settings !== undefined ? { settings } : {}) });
    }
    if (ready.length === 0) return { outcomes };

    const run = await nativeRun(bundle.path, ready.map((r) => ({ name: r.c.name, input: r.input, ...(r.settings !== undefined ? { settings: r.settings } : {}) })), coverage);
    const native = run.reports;
    const engines = new Map<string, LoadedBundle>();
    for (const r of ready) {
      const key = r.c.settingsFile ?? '';
      let engine = engines.get(key);
      if (!engine) {
        engine = await loadBundle(bundle.built.bytes, bundle.path, r.settings === undefined ? {} : { settings: [r.settings] });
        engines.set(key, engine);
      }
      let wasm: PolicyReport;
      try {
        wasm = engine.engine.evaluate((await readPlan(r.c.plan)).input, r.c.plan);
      } catch (error) {
        if (!(error instanceof CipaError)) throw error;
        outcomes.push({ failure: { kind: 'fixture', control: r.expectation.control, file: displayPath(r.c.plan), line: 1, message: error.message, fixture: displayPath(r.c.plan) } });
        continue;
      }
      const nativeReport = native.get(r.c.name);
      const got = statuses(wasm, r.expectation.control);
      const nat = nativeReport ? statuses(nativeReport, r.expectation.control) : {};
      const resources = [...new Set([...Object.keys(r.expectation.decisions), ...Object.keys(got), ...Object.keys(nat)])].sort();
      const decisions = resources.map((resource) => ({
        resource,
        expected: (r.expectation.decisions[resource] ?? 'absent') as CaseStatus,
        wasm: got[resource] ?? 'absent',
        native: nat[resource] ?? 'absent',
      }));
      const ok = decisions.every((d) => d.expected === d.wasm && d.expected === d.native);
      const result: FixtureResult = {
        name: r.c.name,
        control: r.expectation.control,
        plan: displayPath(r.c.plan),
        expectation: displayPath(r.c.expectationFile),
        status: ok ? 'pass' : 'fail',
        decisions,
      };
      if (r.c.settingsFile) result.settings = displayPath(r.c.settingsFile);
      outcomes.push({ result });
    }
    return run.coverage ? { outcomes, coverage: run.coverage } : { outcomes };
  } finally {
    await bundle.cleanup();
  }
}

function statuses(report: PolicyReport, control: string): Record<string, CaseStatus> {
  const out: Record<string, CaseStatus> = {};
  for (const d of report.decisions) if (d.control === control) out[d.resource] = d.status;
  return out;
}

export interface NativeCase {
  name: string;
  /** The raw plan, exactly as the file has it (native opa is never given the slimmed input). */
  input: unknown;
  /** Merged over data.cipa.settings. */
  settings?: unknown;
}

/**
 * The reference engine: native `opa eval` of a bundle's Rego, one process for many cases, each evaluated `with
 * input as` its plan and `with data.cipa.settings as` the merged settings. The iteration over cases stays at the
 * query's top level: inside a comprehension, `with input as c.input` would re-read c from the replaced input.
 */
export async function nativeReports(bundlePath: string, cases: NativeCase[]): Promise<Map<string, PolicyReport>> {
  return (await nativeRun(bundlePath, cases, false)).reports;
}

async function nativeRun(bundlePath: string, cases: NativeCase[], coverage: boolean): Promise<{ reports: Map<string, PolicyReport>; coverage?: OpaCoverage }> {
  const dir = await mkdtemp(join(tmpdir(), 'cipa-native-'));
  try {
    const inputFile = join(dir, 'cases.json');
    const payload = Object.fromEntries(cases.map((c) => [c.name, { input: c.input, settings: c.settings ?? {} }]));
    await writeFile(inputFile, JSON.stringify({ cases: payload }));
    const query =
      'some name, c in input.cases; settings := object.union(object.get(data.cipa, "settings", {}), c.settings); ' +
      'report := data.cipa.main.report with input as c.input with data.cipa.settings as settings';
    const r = await runOpa(['eval', '-b', bundlePath, '-i', inputFile, '-f', 'json', ...(coverage ? ['--coverage'] : []), query]);
    if (r.code !== 0) throw new ToolError(`opa eval of the fixtures failed: ${(r.stderr || r.stdout).trim().split('\n').find((l) => l.trim()) ?? 'no output'}`);
    const parsed = JSON.parse(r.stdout) as { result?: Array<{ bindings: { name: string; report: PolicyReport } }>; coverage?: OpaCoverage };
    const reports = new Map((parsed.result ?? []).map((row) => [row.bindings.name, row.bindings.report] as const));
    const missing = cases.filter((c) => !reports.has(c.name)).map((c) => c.name);
    if (missing.length > 0) throw new ToolError(`opa eval returned no report for ${missing.join(', ')}`);
    return parsed.coverage ? { reports, coverage: parsed.coverage } : { reports };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// --- Coverage -------------------------------------------------------------------------------------------------------

interface OpaCoverage {
  files?: Record<string, { covered?: Array<{ start: { row: number }; end: { row: number } }>; not_covered?: Array<{ start: { row: number }; end: { row: number } }> }>;
}

/**
 * Line coverage of each control file of the project: a line counts as covered when a unit test (opa test
 * --coverage) or a fixture (opa eval --coverage of the native fixture run) evaluates it. Paths of the fixture run
 * are bundle paths (/cipa/...), mapped back to the policy directory that holds the file.
 */
function parseCoverage(unitStdout: string, fixtureCoverage: OpaCoverage | undefined, project: PolicyProject, controlOf: (file: string) => LocatedControl | undefined): FileCoverage[] | undefined {
  let unit: OpaCoverage;
  try {
    unit = JSON.parse(unitStdout) as OpaCoverage;
  } catch {
    // opa prints the failing tests instead of the coverage report when a test fails; those are reported already.
    return undefined;
  }
  const own = project.ownDirs.map((d) => resolve(d) + sep);
  const covered = new Map<string, Set<number>>();
  const relevant = new Map<string, Set<number>>();
  const add = (abs: string, entry: NonNullable<OpaCoverage['files']>[string]) => {
    if (!own.some((d) => abs.startsWith(d)) || abs.endsWith('_test.rego')) return;
    if (!abs.split(sep).join('/').includes('/cipa/controls/')) return;
    const c = covered.get(abs) ?? new Set<number>();
    const r = relevant.get(abs) ?? new Set<number>();
    for (const range of entry.covered ?? []) for (let row = range.start.row; row <= range.end.row; row++) (c.add(row), r.add(row));
    for (const range of entry.not_covered ?? []) for (let row = range.start.row; row <= range.end.row; row++) r.add(row);
    covered.set(abs, c);
    relevant.set(abs, r);
  };
  for (const [file, entry] of Object.entries(unit.files ?? {})) add(resolve(file), entry);
  for (const [file, entry] of Object.entries(fixtureCoverage?.files ?? {})) {
    const rel = file.replace(/^\/+/, '');
    const dir = project.policyDirs.find((d) => existsSync(join(d, rel)));
    if (dir) add(resolve(dir, rel), entry);
  }
  const out: FileCoverage[] = [];
  for (const [abs, rows] of relevant) {
    const c = covered.get(abs)!;
    const missing = [...rows].filter((r) => !c.has(r)).sort((a, b) => a - b);
    const control = controlOf(abs);
    const entry: FileCoverage = {
      file: displayPath(abs),
      percent: rows.size === 0 ? 100 : Math.floor((c.size / rows.size) * 10000) / 100,
      covered: c.size,
      notCovered: missing.length,
      uncovered: toRanges(missing),
    };
    if (control) entry.control = control.id;
    out.push(entry);
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

function toRanges(rows: number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const r of rows) {
    const last = ranges[ranges.length - 1];
    if (last && r === last[1] + 1) last[1] = r;
    else ranges.push([r, r]);
  }
  return ranges;
}

export function formatRanges(ranges: Array<[number, number]>): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ') || 'none';
}
