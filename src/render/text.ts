import type { EvalReport, Finding } from '../model.js';
import { SEVERITIES } from '../severity.js';
import { palette } from './color.js';
import type { RenderOptions } from './types.js';

/**
 * The terminal report: findings grouped by severity, most severe first, each with control, resource, message and
 * remediation; then one summary line. Colour only when asked (the command decides from the TTY and NO_COLOR).
 */
export function renderText(report: EvalReport, options: RenderOptions = {}): string {
  const c = palette(options.color === true);
  const out: string[] = [];
  for (const severity of SEVERITIES) {
    const group = report.findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    out.push(c.bold(`${severity.toUpperCase()} (${group.length})`));
    for (const control of [...new Set(group.map((f) => f.control))]) {
      const findings = group.filter((f) => f.control === control);
      out.push(`  ${c.bold(control)} ${findings[0]!.title}`);
      for (const f of findings) out.push(...renderFinding(f, report.plans.length > 1, c));
      const remediation = findings.find((f) => f.status !== 'waived')?.remediation;
      if (remediation) {
        const [first, ...rest] = remediation.split('\n');
        out.push(`    ${c.dim('fix:')} ${first}`);
        for (const line of rest) out.push(line.trim() === '' ? '' : `         ${line}`);
      }
    }
    out.push('');
  }
  const { expired = [], stale = [] } = options.exceptions ?? {};
  for (const e of expired) out.push(c.yellow(`expired exception: ${e.exception.control} on ${e.exception.resource} (owner ${e.exception.owner}, expired ${e.exception.expires})`));
  for (const e of stale) out.push(c.dim(`stale exception: ${e.exception.control} on ${e.exception.resource} matches nothing`));
  if (expired.length + stale.length > 0) out.push('');
  out.push(summaryLine(report, c));
  return `${out.join('\n')}\n`;
}

function renderFinding(f: Finding, showPlan: boolean, c: ReturnType<typeof palette>): string[] {
  const tag = f.status === 'waived' ? c.dim('WAIVED') : f.status === 'unknown' ? c.blue('UNKNOWN') : f.advisory ? c.yellow('ADVISORY') : c.red('FAIL');
  const where = showPlan ? `${f.resource} ${c.dim(`(${f.plan})`)}` : f.resource;
  const lines = [`    ${tag} ${where}: ${f.message}`];
  if (f.exception) lines.push(`      ${c.dim(`waived by ${f.exception.owner} until ${f.exception.expires}: ${f.exception.reason}`)}`);
  return lines;
}

function summaryLine(report: EvalReport, c: ReturnType<typeof palette>): string {
  const s = report.summary;
  const counts = SEVERITIES.filter((sev) => s.counts[sev] > 0).map((sev) => `${s.counts[sev]} ${sev}`).join(', ') || 'none';
  const verdict = s.result === 'fail' ? c.red('FAIL') : s.result === 'warn' ? c.yellow('WARN') : c.green('PASS');
  const resources = report.plans.reduce((n, p) => n + p.resources, 0);
  return `${verdict}: ${s.failed} failed (${counts}), ${s.unknown} unknown, ${s.waived} waived, ${s.passed} passed; ${resources} resources in ${report.plans.length} plan${report.plans.length === 1 ? '' : 's'}; fail on ${s.fail_on}, warn on ${s.warn_on}`;
}
