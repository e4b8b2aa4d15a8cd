import { createHash } from 'node:crypto';
import type { ControlMeta, EvalReport, Finding, Summary } from '../model.js';
import { SEVERITIES, atLeast, compareSeverity, type Severity } from '../severity.js';
import type { RenderOptions, SourceLocation } from './types.js';

/** How a finding weighs on the gate, for formats that show error / warning / note. */
export type FindingLevel = 'error' | 'warning' | 'note';

/**
 * A failure at or above fail_on (and enforced) is an error; a failure at or above warn_on, an advisory failure
 * at or above warn_on, or an unknown at or above warn_on is a warning; the rest are notes. Waived findings keep
 * the level they would have had (formats mark them as suppressed).
 */
export function findingLevel(finding: Finding, summary: Pick<Summary, 'fail_on' | 'warn_on'>): FindingLevel {
  if (finding.status === 'fail' || finding.status === 'waived') {
    if (!finding.advisory && atLeast(finding.severity, summary.fail_on)) return 'error';
    if (atLeast(finding.severity, summary.warn_on)) return 'warning';
    return 'note';
  }
  return atLeast(finding.severity, summary.warn_on) ? 'warning' : 'note';
}

/** Most severe first, then control, plan, resource: a stable order independent of the engine's. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      cmp(a.control, b.control) ||
      cmp(a.plan, b.plan) ||
      cmp(a.resource, b.resource) ||
      cmp(a.message, b.message),
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where to point a finding: its .tf block when known, else the plan file (line 1: plan JSON is one line). */
export function locationOf(finding: Pick<Finding, 'resource' | 'plan'>, options: RenderOptions | undefined): SourceLocation & { inSource: boolean } {
  const found = options?.locations?.get(finding.resource);
  if (found) return { ...found, inSource: true };
  return { file: toPosix(finding.plan), line: 1, inSource: false };
}

export function toPosix(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Stable id of a (control, resource) pair: the same across runs, plans and machines. */
export function fingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

export function controlIndex(report: EvalReport): Map<string, ControlMeta> {
  return new Map(report.controls.map((c) => [c.id, c]));
}

/** Findings per severity, all five keys present. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** "framework section" pairs of a finding, e.g. "cis-aws-1.4 2.1.5". */
export function frameworkSections(frameworks: Record<string, string[]>): string[] {
  const out: string[] = [];
  for (const [framework, sections] of Object.entries(frameworks).sort(([a], [b]) => cmp(a, b))) {
    if (sections.length === 0) out.push(framework);
    for (const section of sections) out.push(`${framework} ${section}`);
  }
  return out;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
