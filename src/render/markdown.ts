import type { EvalReport, Finding } from '../model.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { mdCode, mdText } from './escape.js';
import { frameworkSections, locationOf, plural, sortFindings } from './shared.js';
import type { RenderOptions } from './types.js';

/**
 * A compact report for a pull-request comment or a CI job summary: a headline with the gate result, a table of
 * counts by severity, then findings grouped by severity in collapsed <details> blocks. Everything taken from the
 * report is escaped (no markup, no @mentions, no issue links). Output is capped at `maxLength` characters
 * (default 60,000; GitHub comments hold 65,536): lower-severity rows are dropped first and the cut is stated.
 */

export const DEFAULT_MARKDOWN_MAX = 60_000;

const ICON: Record<string, string> = { pass: '✅', warn: '⚠️', fail: '❌' };
const HEADLINE: Record<string, string> = { pass: 'passed', warn: 'passed with warnings', fail: 'failed' };

function statusLabel(f: Finding): string {
  if (f.status === 'waived') return 'waived';
  if (f.status === 'unknown') return 'unknown';
  return f.advisory ? 'fail (advisory)' : 'fail';
}

function counts(findings: readonly Finding[], severity: Severity) {
  const of = findings.filter((f) => f.severity === severity);
  return {
    fail: of.filter((f) => f.status === 'fail').length,
    unknown: of.filter((f) => f.status === 'unknown').length,
    waived: of.filter((f) => f.status === 'waived').length,
  };
}

export function renderMarkdownHeader(report: EvalReport): string[] {
  const s = report.summary;
  const lines: string[] = [];
  lines.push(`### ${ICON[s.result] ?? ''} cipa: policy gate ${HEADLINE[s.result] ?? s.result}`);
  lines.push('');
  const plans = report.plans.map((p) => mdCode(p.path)).join(', ');
  lines.push(
    `Bundle ${mdCode(report.bundle.name)} ${mdText(report.bundle.version)} · ${plural(report.plans.length, 'plan')}${plans ? ` (${plans})` : ''} · fails on **${s.fail_on}** and above, warns on **${s.warn_on}** and above`,
  );
  lines.push('');
  lines.push('| Severity | Failed | Unknown | Waived |');
  lines.push('| --- | ---: | ---: | ---: |');
  for (const sev of SEVERITIES) {
    const c = counts(report.findings, sev);
    if (c.fail + c.unknown + c.waived === 0) continue;
    lines.push(`| ${sev} | ${c.fail} | ${c.unknown} | ${c.waived} |`);
  }
  const all = report.findings;
  lines.push(
    `| **total** | **${all.filter((f) => f.status === 'fail').length}** | **${all.filter((f) => f.status === 'unknown').length}** | **${all.filter((f) => f.status === 'waived').length}** |`,
  );
  lines.push('');
  lines.push(`${plural(s.passed, 'check')} passed.`);
  return lines;
}

export function renderMarkdown(report: EvalReport, options: RenderOptions = {}): string {
  const max = options.maxLength ?? DEFAULT_MARKDOWN_MAX;
  const out: string[] = renderMarkdownHeader(report);
  const tail: string[] = [];

  const expired = options.exceptions?.expired ?? [];
  const stale = options.exceptions?.stale ?? [];
  if (expired.length > 0 || stale.length > 0) {
    tail.push('');
    tail.push(`<details><summary><b>Exceptions to review</b> (${expired.length} expired, ${stale.length} unused)</summary>`);
    tail.push('');
    tail.push('| Entry | Control | Resource | Owner | Expires | Problem |');
    tail.push('| ---: | --- | --- | --- | --- | --- |');
    for (const e of expired) {
      tail.push(
        `| ${e.index + 1} | ${mdCode(e.exception.control)} | ${mdCode(e.exception.resource)} | ${mdText(e.exception.owner)} | ${e.exception.expires} | expired: no longer waives ${plural(e.matched.length, 'finding')} |`,
      );
    }
    for (const e of stale) {
      tail.push(
        `| ${e.index + 1} | ${mdCode(e.exception.control)} | ${mdCode(e.exception.resource)} | ${mdText(e.exception.owner)} | ${e.exception.expires} | matches no finding |`,
      );
    }
    tail.push('');
    tail.push('</details>');
  }

  const sorted = sortFindings(report.findings);
  const budget = () => max - (out.join('\n').length + tail.join('\n').length + 400);
  let omitted = 0;
  const remediations = new Map<string, Finding>();
  for (const sev of SEVERITIES) {
    const list = sorted.filter((f) => f.severity === sev);
    if (list.length === 0) continue;
    const block: string[] = ['', `<details><summary><b>${sev[0]!.toUpperCase()}${sev.slice(1)}</b> (${list.length})</summary>`, ''];
    block.push('| Control | Resource | Status | Message | Location |');
    block.push('| --- | --- | --- | --- | --- |');
    const rows: string[] = [];
    for (const f of list) {
      const where = locationOf(f, options);
      const waiver = f.status === 'waived' && f.exception ? `<br>waived by ${mdText(f.exception.owner)} until ${f.exception.expires}: ${mdText(f.exception.reason)}` : '';
      const row = `| ${mdCode(f.control)} ${mdText(f.title)} | ${mdCode(f.resource)} | ${statusLabel(f)} | ${mdText(f.message)}${waiver} | ${mdCode(`${where.file}${where.inSource ? `:${where.line}` : ''}`)} |`;
      if (block.join('\n').length + rows.join('\n').length + row.length + 1 > budget()) {
        omitted++;
        continue;
      }
      rows.push(row);
      if (!remediations.has(f.control) && f.status !== 'waived') remediations.set(f.control, f);
    }
    if (rows.length === 0) continue;
    out.push(...block, ...rows, '', '</details>');
  }

  if (remediations.size > 0) {
    const block: string[] = ['', '<details><summary><b>How to fix</b></summary>', ''];
    for (const f of remediations.values()) {
      const sections = frameworkSections(f.frameworks);
      const entry = [
        `**${mdText(f.control)}: ${mdText(f.title)}**${sections.length > 0 ? ` (${sections.map(mdText).join(', ')})` : ''}`,
        '',
        // Remediation is authored in the control's METADATA (trusted, Markdown with snippets): kept as Markdown,
        // but raw HTML is escaped so it cannot break out of the <details>.
        escapeOutsideFences(f.remediation),
        '',
      ];
      if (out.join('\n').length + block.join('\n').length + entry.join('\n').length + tail.join('\n').length + 200 > max) break;
      block.push(...entry);
    }
    block.push('</details>');
    if (block.length > 4) out.push(...block);
  }

  out.push(...tail);
  if (omitted > 0) {
    out.push('', `_${plural(omitted, 'finding')} not shown to keep this comment under ${max} characters; see the full report._`);
  }
  return `${out.join('\n')}\n`;
}

/** Escapes `<` outside fenced code blocks (inside them entities would show literally, and HTML is inert anyway). */
export function escapeOutsideFences(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return line;
      }
      return fenced ? line : line.replace(/</g, '&lt;');
    })
    .join('\n');
}
