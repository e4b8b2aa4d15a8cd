import type { ControlMeta, EvalReport, Finding } from '../model.js';
import { cmp, controlIndex, locationOf } from './shared.js';
import type { RenderOptions } from './types.js';
import { xmlAttr, xmlText } from './xml.js';

/**
 * JUnit XML: one <testsuite> per control (so CI dashboards group by control), one <testcase> per (control,
 * resource) decision, passes included.
 *
 * - fail → <failure type="<severity>"> with the messages and the remediation; a failure that is not yet enforced
 *   (advisory) is still a failure, typed "advisory".
 * - waived → <skipped> naming the exception's owner, expiry and reason.
 * - unknown → <skipped message="unknown: …">: the check could not be run against the plan (a value known only
 *   after apply), which is what "skipped" means to JUnit consumers; it is neither a verified pass nor a verified
 *   failure, and making every plan with computed values "unstable" in Jenkins would train people to ignore it.
 *   The gate (exit code) is where unknowns are enforced.
 *
 * `file` (and `line`) point at the resource's .tf block when `locations` has it, else at the plan file.
 *
 * Test names are the resource address (prefixed with the plan when the report has several plans), so every
 * testcase in a suite has a distinct name.
 */

interface Case {
  control: string;
  resource: string;
  plan: string;
  status: 'pass' | 'fail' | 'unknown' | 'waived';
  severity: string;
  messages: string[];
  finding?: Finding;
}

function key(plan: string, control: string, resource: string): string {
  return `${plan}\u0000${control}\u0000${resource}`;
}

function collect(report: EvalReport): Case[] {
  const findings = new Map(report.findings.map((f) => [key(f.plan, f.control, f.resource), f]));
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const d of report.decisions) {
    const k = key(d.plan, d.control, d.resource);
    if (seen.has(k)) continue;
    seen.add(k);
    const f = findings.get(k);
    const status = f?.status === 'waived' ? 'waived' : d.status;
    cases.push({ control: d.control, resource: d.resource, plan: d.plan, status, severity: d.severity, messages: d.messages, ...(f ? { finding: f } : {}) });
  }
  for (const [k, f] of findings) {
    if (seen.has(k)) continue;
    seen.add(k);
    cases.push({ control: f.control, resource: f.resource, plan: f.plan, status: f.status, severity: f.severity, messages: [f.message], finding: f });
  }
  return cases.sort((a, b) => cmp(a.control, b.control) || cmp(a.plan, b.plan) || cmp(a.resource, b.resource));
}

function caseBody(c: Case, meta: ControlMeta | undefined): string {
  const messages = c.messages.length > 0 ? c.messages : c.finding ? [c.finding.message] : [];
  switch (c.status) {
    case 'pass':
      return '';
    case 'fail': {
      const advisory = c.finding?.advisory === true;
      const remediation = meta?.remediation ?? c.finding?.remediation ?? '';
      const body = [...messages, ...(remediation ? ['', 'Remediation:', remediation] : [])].join('\n');
      const message = `${advisory ? 'advisory (not yet enforced): ' : ''}${messages[0] ?? 'failed'}`;
      return `<failure message="${xmlAttr(message)}" type="${advisory ? 'advisory' : xmlAttr(c.severity)}">${xmlText(body)}</failure>`;
    }
    case 'unknown':
      return `<skipped message="${xmlAttr(`unknown: cannot be decided from the plan${messages[0] ? `: ${messages[0]}` : ''}`)}"/>`;
    case 'waived': {
      const e = c.finding?.exception;
      const text = e
        ? `waived by ${e.owner} until ${e.expires}: ${e.reason}${e.ticket ? ` (${e.ticket})` : ''}`
        : 'waived';
      return `<skipped message="${xmlAttr(text)}"/>`;
    }
  }
}

export function renderJunit(report: EvalReport, options: RenderOptions = {}): string {
  const meta = controlIndex(report);
  const cases = collect(report);
  const multiPlan = new Set(cases.map((c) => c.plan)).size > 1;
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(c.control, [...(groups.get(c.control) ?? []), c]);
  const count = (list: Case[]) => ({
    tests: list.length,
    failures: list.filter((c) => c.status === 'fail').length,
    skipped: list.filter((c) => c.status === 'unknown' || c.status === 'waived').length,
  });
  const total = count(cases);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="cipa" tests="${total.tests}" failures="${total.failures}" errors="0" skipped="${total.skipped}" time="0">`,
  ];
  for (const [control, list] of groups) {
    const m = meta.get(control);
    const n = count(list);
    const name = m ? `${control}: ${m.title}` : control;
    lines.push(
      `  <testsuite name="${xmlAttr(name)}" tests="${n.tests}" failures="${n.failures}" errors="0" skipped="${n.skipped}" time="0">`,
    );
    const props: Array<[string, string]> = [['control', control]];
    if (m) {
      props.push(['severity', m.severity]);
      for (const [fw, sections] of Object.entries(m.frameworks)) props.push([`framework:${fw}`, sections.join(', ')]);
      if (m.aliases.length > 0) props.push(['aliases', m.aliases.join(', ')]);
    }
    lines.push('    <properties>');
    for (const [k, v] of props) lines.push(`      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`);
    lines.push('    </properties>');
    for (const c of list) {
      const testName = multiPlan ? `${c.plan}: ${c.resource}` : c.resource;
      const body = caseBody(c, m);
      const where = locationOf(c, options);
      const fileAttr = where.inSource ? `file="${xmlAttr(where.file)}" line="${where.line}"` : `file="${xmlAttr(c.plan)}"`;
      const open = `    <testcase classname="${xmlAttr(control)}" name="${xmlAttr(testName)}" ${fileAttr} time="0"`;
      lines.push(body === '' ? `${open}/>` : `${open}>${body}</testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
