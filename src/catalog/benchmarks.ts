import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CipaError, UsageError } from '../errors.js';
import type { ControlMeta } from '../model.js';
import { packageRoot } from '../paths.js';
import { palette } from '../render/color.js';
import { compareIds } from './list.js';
import { compareRecommendationIds } from './render.js';

/** One recommendation of a benchmark, as data/benchmarks/<framework>.json lists it (titles in our own words). */
export interface Recommendation {
  id: string;
  title: string;
  /** Can a control decide it from a Terraform plan? */
  checkable_from_plan: boolean;
  /** Why not, when checkable_from_plan is false. */
  reason?: string;
}

/** data/benchmarks/<framework>.json */
export interface Benchmark {
  /** The framework key controls use in METADATA `frameworks`, e.g. "cis-aws-1.4"; also the file name. */
  framework: string;
  title: string;
  version: string;
  /** Which sections are listed: "all", or the section numbers when the file lists only part of the benchmark. */
  sections: 'all' | string[];
  recommendations: Recommendation[];
}

export function benchmarksDir(): string {
  return join(packageRoot(), 'data', 'benchmarks');
}

/** The framework keys that have a recommendation list, sorted. */
export function availableBenchmarks(dir: string = benchmarksDir()): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).sort();
}

/** Reads and checks data/benchmarks/<framework>.json. An unknown framework is a usage error naming the known ones. */
export function loadBenchmark(framework: string, dir: string = benchmarksDir()): Benchmark {
  const available = availableBenchmarks(dir);
  if (!available.includes(framework)) {
    throw new UsageError(
      `--coverage: no recommendation list for framework "${framework}"`,
      available.length ? `available: ${available.join(', ')}` : `no benchmark files in ${dir}`,
    );
  }
  const file = join(dir, `${framework}.json`);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new CipaError('internal', `${file}: cannot read the benchmark list: ${error instanceof Error ? error.message : String(error)}`);
  }
  return checkBenchmark(value, file, framework);
}

/** Checks a benchmark document's shape; problems name the file and the recommendation. */
export function checkBenchmark(value: unknown, file: string, framework: string): Benchmark {
  const bad = (problem: string) => new CipaError('internal', `${file}: ${problem}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('is not a JSON object');
  const b = value as Record<string, unknown>;
  if (b.framework !== framework) throw bad(`declares framework ${JSON.stringify(b.framework)}, expected "${framework}" (the file name)`);
  for (const key of ['title', 'version'] as const) if (typeof b[key] !== 'string' || b[key] === '') throw bad(`has no ${key}`);
  const sections = b.sections;
  if (sections !== 'all' && !(Array.isArray(sections) && sections.length > 0 && sections.every((s) => typeof s === 'string'))) {
    throw bad('sections must be "all" or a list of section numbers');
  }
  if (!Array.isArray(b.recommendations) || b.recommendations.length === 0) throw bad('has no recommendations');
  const seen = new Set<string>();
  const recommendations: Recommendation[] = [];
  for (const [i, raw] of (b.recommendations as unknown[]).entries()) {
    const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const where = typeof r.id === 'string' ? `recommendation ${r.id}` : `recommendations[${i}]`;
    if (typeof r.id !== 'string' || !/^\d+(\.\d+)*$/.test(r.id)) throw bad(`${where} has no dotted numeric id`);
    if (seen.has(r.id)) throw bad(`${where} is listed twice`);
    seen.add(r.id);
    if (sections !== 'all' && !(sections as string[]).some((s) => r.id === s || (r.id as string).startsWith(`${s}.`))) {
      throw bad(`${where} is outside the listed sections ${(sections as string[]).join(', ')}`);
    }
    if (typeof r.title !== 'string' || r.title.trim() === '') throw bad(`${where} has no title`);
    if (typeof r.checkable_from_plan !== 'boolean') throw bad(`${where} has no checkable_from_plan (true or false)`);
    if (!r.checkable_from_plan && (typeof r.reason !== 'string' || r.reason.trim() === '')) throw bad(`${where} is not checkable from a plan but gives no reason`);
    const rec: Recommendation = { id: r.id, title: r.title, checkable_from_plan: r.checkable_from_plan };
    if (typeof r.reason === 'string') rec.reason = r.reason;
    recommendations.push(rec);
  }
  recommendations.sort((x, y) => compareRecommendationIds(x.id, y.id));
  return { framework, title: b.title as string, version: b.version as string, sections: sections as Benchmark['sections'], recommendations };
}

export interface CoverageReport {
  framework: string;
  benchmark: { title: string; version: string; sections: 'all' | string[] };
  summary: { recommendations: number; covered: number; not_checkable: number; missing: number };
  /** Recommendations at least one control references, with those controls. */
  covered: Array<{ id: string; title: string; controls: string[] }>;
  /** Recommendations no plan can decide, with the reason. */
  not_checkable: Array<{ id: string; title: string; reason: string }>;
  /** Checkable recommendations no control references yet. */
  missing: Array<{ id: string; title: string }>;
  /** References in METADATA to recommendations the benchmark does not have (typos such as 2.1.6). */
  unknown_references: Array<{ control: string; recommendation: string }>;
}

/**
 * Sorts a benchmark's recommendations into covered (a control's METADATA references it), not checkable from a plan
 * and missing. A recommendation a control references counts as covered even when the list marks it not checkable;
 * the test suite keeps the two consistent.
 */
export function coverage(controls: readonly ControlMeta[], benchmark: Benchmark): CoverageReport {
  const byRecommendation = new Map<string, Set<string>>();
  const known = new Set(benchmark.recommendations.map((r) => r.id));
  const unknown: CoverageReport['unknown_references'] = [];
  for (const control of controls) {
    for (const ref of new Set(control.frameworks[benchmark.framework] ?? [])) {
      if (!known.has(ref)) {
        unknown.push({ control: control.id, recommendation: ref });
        continue;
      }
      byRecommendation.set(ref, (byRecommendation.get(ref) ?? new Set()).add(control.id));
    }
  }
  const report: CoverageReport = {
    framework: benchmark.framework,
    benchmark: { title: benchmark.title, version: benchmark.version, sections: benchmark.sections },
    summary: { recommendations: benchmark.recommendations.length, covered: 0, not_checkable: 0, missing: 0 },
    covered: [],
    not_checkable: [],
    missing: [],
    unknown_references: unknown.sort((a, b) => compareIds(a.control, b.control) || compareRecommendationIds(a.recommendation, b.recommendation)),
  };
  for (const r of benchmark.recommendations) {
    const ids = byRecommendation.get(r.id);
    if (ids) report.covered.push({ id: r.id, title: r.title, controls: [...ids].sort(compareIds) });
    else if (!r.checkable_from_plan) report.not_checkable.push({ id: r.id, title: r.title, reason: r.reason ?? '' });
    else report.missing.push({ id: r.id, title: r.title });
  }
  report.summary.covered = report.covered.length;
  report.summary.not_checkable = report.not_checkable.length;
  report.summary.missing = report.missing.length;
  return report;
}

export function renderCoverageJson(report: CoverageReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export function renderCoverageText(report: CoverageReport, options: { color?: boolean } = {}): string {
  const c = palette(options.color === true);
  const s = report.summary;
  const sections = report.benchmark.sections;
  const scope = sections === 'all' ? '' : ` (section${sections.length === 1 ? '' : 's'} ${sections.join(', ')} only)`;
  const out: string[] = [c.bold(`${report.benchmark.title} v${report.benchmark.version} (${report.framework})${scope}`), ''];
  const width = Math.max(4, ...[...report.covered, ...report.not_checkable, ...report.missing].map((r) => r.id.length));
  out.push(c.green(`Covered (${s.covered})`));
  for (const r of report.covered) out.push(`  ${r.id.padEnd(width)}  ${r.title}  ${c.dim(`← ${r.controls.join(', ')}`)}`);
  if (s.covered === 0) out.push(c.dim('  none'));
  out.push('', c.blue(`Not checkable from a plan (${s.not_checkable})`));
  for (const r of report.not_checkable) out.push(`  ${r.id.padEnd(width)}  ${r.title}  ${c.dim(`— ${r.reason}`)}`);
  if (s.not_checkable === 0) out.push(c.dim('  none'));
  out.push('', c.yellow(`Missing (${s.missing})`));
  for (const r of report.missing) out.push(`  ${r.id.padEnd(width)}  ${r.title}`);
  if (s.missing === 0) out.push(c.dim('  none'));
  if (report.unknown_references.length) {
    out.push('', c.red(`Unknown references (${report.unknown_references.length})`));
    for (const u of report.unknown_references) out.push(`  ${u.control} references ${u.recommendation}, which ${report.framework} does not have`);
  }
  const checkable = s.recommendations - s.not_checkable;
  out.push(
    '',
    `${s.covered} of ${s.recommendations} recommendations covered; ${s.not_checkable} not checkable from a plan; ${s.missing} missing` +
      (checkable > 0 ? ` (${Math.round((100 * s.covered) / checkable)}% of what a plan can check)` : ''),
  );
  return `${out.join('\n')}\n`;
}
