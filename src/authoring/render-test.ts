import { palette as makePalette, type Palette } from '../render/color.js';
import { xmlAttr, xmlText } from '../render/xml.js';
import type { TestFailure, TestReport } from './report.js';
import { formatRanges } from './runner.js';

export const TEST_FORMATS = ['text', 'json', 'junit'] as const;
export type TestFormat = (typeof TEST_FORMATS)[number];

export function renderTestReport(report: TestReport, format: TestFormat, options: { color?: boolean } = {}): string {
  switch (format) {
    case 'json':
      return renderTestJson(report);
    case 'junit':
      return renderTestJunit(report);
    default:
      return renderTestText(report, makePalette(options.color === true));
  }
}

export function renderTestJson(report: TestReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function where(f: TestFailure): string {
  return f.line === undefined ? f.file : `${f.file}:${f.line}`;
}

const KIND_LABEL: Record<TestFailure['kind'], string> = {
  unit: 'unit test',
  expectation: 'fixture',
  engine: 'engines differ',
  fixture: 'fixture',
  compile: 'compile',
  capability: 'capability',
  metadata: 'metadata',
  coverage: 'coverage',
};

/** A readable summary by control: one line per control, then every failure at file:line. */
export function renderTestText(report: TestReport, p: Palette = makePalette(false)): string {
  const lines: string[] = [];
  const byControl = new Map<string, TestFailure[]>();
  for (const f of report.failures) {
    const key = f.control ?? '';
    byControl.set(key, [...(byControl.get(key) ?? []), f]);
  }
  for (const c of report.controls) {
    const ok = c.failures === 0;
    const parts = [`${c.unit.passed + c.unit.failed} unit`, `${c.fixtures.passed + c.fixtures.failed} fixture${c.fixtures.passed + c.fixtures.failed === 1 ? '' : 's'}`];
    if (c.coverage !== undefined) parts.push(`coverage ${c.coverage}%`);
    const untested = c.unit.passed + c.unit.failed + c.fixtures.passed + c.fixtures.failed === 0;
    lines.push(`${ok ? p.green('ok  ') : p.red('FAIL')} ${c.id.padEnd(20)} ${p.dim(parts.join(', '))}${untested ? p.yellow(' (no unit test or fixture decides anything about it)') : ''}`);
    for (const f of byControl.get(c.id) ?? []) lines.push(...failureLines(f, p));
    byControl.delete(c.id);
  }
  const rest = [...byControl.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [control, failures] of rest) {
    lines.push(`${p.red('FAIL')} ${control === '' ? '(policy)' : control}`);
    for (const f of failures) lines.push(...failureLines(f, p));
  }
  const library = report.unit.filter((t) => t.control === undefined);
  if (library.length > 0) {
    const failed = library.filter((t) => t.status === 'fail' || t.status === 'error').length;
    lines.push(`${failed === 0 ? p.green('ok  ') : p.red('FAIL')} ${'(library tests)'.padEnd(20)} ${p.dim(`${library.length} unit`)}`);
  }
  if (report.withoutExpectation.length > 0) {
    lines.push(p.yellow(`note: ${report.withoutExpectation.length} fixture plan(s) have no .expect.json and were not run: ${report.withoutExpectation.join(', ')}`));
  }
  if (report.coverage) {
    lines.push('');
    lines.push(p.bold('coverage (unit tests and fixtures)'));
    for (const c of report.coverage) {
      const below = report.summary.coverage?.threshold !== undefined && c.percent < report.summary.coverage.threshold;
      const pct = `${c.percent.toFixed(1)}%`.padStart(6);
      lines.push(`  ${below ? p.red(pct) : pct}  ${c.file}${c.uncovered.length > 0 ? p.dim(`  not covered: ${formatRanges(c.uncovered)}`) : ''}`);
    }
  }
  const s = report.summary;
  if (s.coverageUnavailable) lines.push('', p.yellow(`coverage ${s.coverageUnavailable}`));
  lines.push('');
  const counts = [
    `${s.controls} control${s.controls === 1 ? '' : 's'}`,
    `${s.unit.passed}/${s.unit.total} unit tests passed`,
    `${s.fixtures.passed}/${s.fixtures.total} fixtures passed`,
  ];
  if (s.coverage) counts.push(`coverage ${s.coverage.percent}%${s.coverage.threshold !== undefined ? ` (threshold ${s.coverage.threshold}%)` : ''}`);
  lines.push(`${report.result === 'pass' ? p.green('PASS') : p.red('FAIL')} ${counts.join(', ')}${s.failures > 0 ? `, ${s.failures} failure${s.failures === 1 ? '' : 's'}` : ''}`);
  return `${lines.join('\n')}\n`;
}

function failureLines(f: TestFailure, p: Palette): string[] {
  const out = [`     ${p.red(KIND_LABEL[f.kind])} ${where(f)}: ${f.message}`];
  if (f.fixture && (f.kind === 'expectation' || f.kind === 'engine')) out.push(p.dim(`       plan ${f.fixture}`));
  return out;
}

/**
 * JUnit XML for CI: one testsuite per control (plus one for the policy as a whole: compile, capability and metadata
 * checks, library tests), one testcase per unit test and per fixture; failures carry file and line.
 */
export function renderTestJunit(report: TestReport): string {
  interface Case { name: string; classname: string; file: string; line?: number; failures: TestFailure[]; time: number }
  const suites = new Map<string, Case[]>();
  const add = (suite: string, c: Case) => suites.set(suite, [...(suites.get(suite) ?? []), c]);
  const POLICY = '(policy)';
  const claimed = new Set<TestFailure>();
  for (const t of report.unit) {
    const failures = report.failures.filter((f) => f.kind === 'unit' && f.file === t.file && f.line === t.line);
    failures.forEach((f) => claimed.add(f));
    add(t.control ?? '(library)', { name: t.name, classname: t.package, file: t.file, line: t.line, failures, time: t.durationMs / 1000 });
  }
  for (const fx of report.fixtureResults) {
    const failures = report.failures.filter((f) => f.fixture !== undefined && f.control === fx.control && (f.kind === 'expectation' || f.kind === 'engine') && fx.decisions.some((d) => d.resource === f.resource) && f.file.endsWith(fx.expectation.split(/[\\/]/).pop()!));
    failures.forEach((f) => claimed.add(f));
    add(fx.control, { name: `fixture ${fx.name}`, classname: fx.control, file: failures[0]?.file ?? fx.expectation, failures, time: 0 });
  }
  for (const f of report.failures) {
    if (claimed.has(f)) continue;
    add(f.control ?? POLICY, { name: `${f.kind} ${where(f)}`, classname: f.control ?? 'policy', file: f.file, ...(f.line !== undefined ? { line: f.line } : {}), failures: [f], time: 0 });
  }
  for (const c of report.controls) if (!suites.has(c.id)) add(c.id, { name: 'metadata and capabilities', classname: c.id, file: c.file, failures: [], time: 0 });
  if (!suites.has(POLICY)) add(POLICY, { name: 'compile, capabilities and metadata', classname: 'policy', file: report.policy.join(' '), failures: [], time: 0 });

  const total = [...suites.values()].reduce((n, cs) => n + cs.length, 0);
  const failed = [...suites.values()].reduce((n, cs) => n + cs.filter((c) => c.failures.length > 0).length, 0);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="cipa test" tests="${total}" failures="${failed}" errors="0" time="${(report.durationMs / 1000).toFixed(3)}">`];
  for (const [suite, cases] of [...suites.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sf = cases.filter((c) => c.failures.length > 0).length;
    out.push(`  <testsuite name="${xmlAttr(suite)}" tests="${cases.length}" failures="${sf}" errors="0" skipped="0">`);
    for (const c of cases) {
      const line = c.line ?? c.failures[0]?.line;
      const attrs = `name="${xmlAttr(c.name)}" classname="${xmlAttr(c.classname)}" file="${xmlAttr(c.file)}"${line !== undefined ? ` line="${line}"` : ''} time="${c.time.toFixed(3)}"`;
      if (c.failures.length === 0) {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      out.push(`    <testcase ${attrs}>`);
      const first = c.failures[0]!;
      const body = c.failures.map((f) => `${where(f)}: ${f.message}${f.fixture ? `\nplan: ${f.fixture}` : ''}`).join('\n');
      out.push(`      <failure type="${xmlAttr(first.kind)}" message="${xmlAttr(`${where(first)}: ${first.message}`)}">${xmlText(body)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
