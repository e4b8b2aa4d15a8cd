import type { EvalReport } from '../model.js';
import type { Severity } from '../severity.js';
import { fingerprint, locationOf, sortFindings } from './shared.js';
import type { RenderOptions } from './types.js';

/**
 * GitLab code quality report (artifacts:reports:codequality): a JSON array of issues with the fields GitLab
 * requires — description, check_name, fingerprint, severity, location.path, location.lines.begin.
 *
 * Severity uses all five GitLab levels in order: critical → blocker, high → critical, medium → major,
 * low → minor, info → info. Waived findings are left out (GitLab has no suppressed state, and an issue listed
 * there counts against the merge request). The fingerprint hashes plan, control and resource, so the same
 * finding keeps its identity between pipelines and distinct plans do not collapse into one issue.
 */

export const GITLAB_SEVERITY: Record<Severity, 'blocker' | 'critical' | 'major' | 'minor' | 'info'> = {
  critical: 'blocker',
  high: 'critical',
  medium: 'major',
  low: 'minor',
  info: 'info',
};

export interface CodeQualityIssue {
  type: 'issue';
  description: string;
  check_name: string;
  fingerprint: string;
  severity: (typeof GITLAB_SEVERITY)[Severity];
  categories: string[];
  content?: { body: string };
  location: { path: string; lines: { begin: number } };
}

export function renderGitlab(report: EvalReport, options: RenderOptions = {}): string {
  const issues: CodeQualityIssue[] = sortFindings(report.findings)
    .filter((f) => f.status !== 'waived')
    .map((f) => {
      const where = locationOf(f, options);
      const prefix = f.status === 'unknown' ? 'cannot be decided from the plan: ' : f.advisory ? 'advisory: ' : '';
      return {
        type: 'issue',
        description: `${f.control} ${f.title} — ${f.resource}: ${prefix}${f.message}`,
        check_name: f.control,
        fingerprint: fingerprint(f.plan, f.control, f.resource).slice(0, 32),
        severity: GITLAB_SEVERITY[f.severity],
        categories: ['Security'],
        ...(f.remediation ? { content: { body: f.remediation } } : {}),
        location: { path: where.file, lines: { begin: where.line } },
      };
    });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
