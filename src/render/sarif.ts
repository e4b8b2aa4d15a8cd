import type { ControlMeta, EvalReport, Finding } from '../model.js';
import type { Severity } from '../severity.js';
import { controlIndex, fingerprint, findingLevel, frameworkSections, locationOf, sortFindings } from './shared.js';
import type { RenderOptions } from './types.js';

/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
 *
 * - One rule per control in the report, so `ruleId` is the control id (never a generic entrypoint name).
 * - `properties["security-severity"]` follows GitHub's bands (over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium,
 *   0.1–3.9 low): critical 9.5, high 8.0, medium 5.5, low 3.0. `info` controls carry no score, because GitHub
 *   would show any score of 3.9 or less, 0.0 included, as "Low"; without one GitHub falls back to the level (note).
 * - Failures are `kind: "fail"` with level error (at or above fail_on), warning (at or above warn_on, or not yet
 *   enforced) or note. Unknown decisions (cannot be decided from the plan) are `kind: "review"`, which SARIF
 *   requires to have level "none".
 * - Without a source location a result points at the plan file with no region (never a made-up line 1).
 * - Waived findings stay in the log with an external, accepted suppression carrying the exception.
 * - `partialFingerprints["cipa/v1"]` is a hash of control and resource address: stable across runs and line moves.
 */

export const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: undefined,
};

const LEVEL_BY_SEVERITY = (severity: Severity, fail: Severity, warn: Severity): 'error' | 'warning' | 'note' =>
  findingLevel({ status: 'fail', severity } as Finding, { fail_on: fail, warn_on: warn });

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** `cipa.controls.aws.s3_public_access` → `S3PublicAccess`; the control id when there is no package. */
function ruleName(control: ControlMeta): string {
  const last = control.package.split('.').pop() ?? '';
  const name = last
    .split(/[_-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  return /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? name : control.id;
}

function helpMarkdown(control: ControlMeta): string {
  const parts = [`**${control.title}**`];
  if (control.description) parts.push(control.description);
  if (control.remediation) parts.push(`### Remediation\n\n${control.remediation}`);
  const sections = frameworkSections(control.frameworks);
  if (sections.length > 0) parts.push(`### Frameworks\n\n${sections.map((s) => `- ${s}`).join('\n')}`);
  if (control.aliases.length > 0) parts.push(`Also known as: ${control.aliases.join(', ')}`);
  return parts.join('\n\n');
}

/** Controls that only appear in findings (a report without catalog entries) still get a rule. */
function controlsOf(report: EvalReport): ControlMeta[] {
  const known = controlIndex(report);
  const out = [...known.values()];
  for (const f of report.findings) {
    if (known.has(f.control)) continue;
    const meta: ControlMeta = {
      id: f.control,
      title: f.title,
      description: f.title,
      severity: f.severity,
      frameworks: f.frameworks,
      aliases: [],
      remediation: f.remediation,
      resource_types: [f.resource_type],
      package: '',
      file: '',
    };
    known.set(f.control, meta);
    out.push(meta);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function renderSarif(report: EvalReport, options: RenderOptions = {}): string {
  const { fail_on, warn_on } = report.summary;
  const controls = controlsOf(report);
  const ruleIndex = new Map(controls.map((c, i) => [c.id, i]));
  const rules = controls.map((c) => {
    const tags = ['security', 'terraform', 'iac', ...Object.keys(c.frameworks).sort()];
    const properties: Record<string, unknown> = {
      tags: [...new Set(tags)],
      precision: 'very-high',
      severity: c.severity,
      frameworks: c.frameworks,
      aliases: c.aliases,
      resource_types: c.resource_types,
    };
    const score = SECURITY_SEVERITY[c.severity];
    if (score !== undefined) properties['security-severity'] = score;
    if (c.enforced_from) properties.enforced_from = c.enforced_from;
    return {
      id: c.id,
      name: ruleName(c),
      shortDescription: { text: c.title },
      fullDescription: { text: c.description || c.title },
      help: { text: c.remediation || c.title, markdown: helpMarkdown(c) },
      defaultConfiguration: { level: LEVEL_BY_SEVERITY(c.severity, fail_on, warn_on) },
      properties,
    };
  });

  const results = sortFindings(report.findings).map((f) => {
    const where = locationOf(f, options);
    const review = f.status === 'unknown';
    const result: Record<string, unknown> = {
      ruleId: f.control,
      ruleIndex: ruleIndex.get(f.control),
      kind: review ? 'review' : 'fail',
      level: review ? 'none' : findingLevel(f, report.summary),
      message: {
        text: `${f.resource}: ${f.message}${f.status === 'unknown' ? ' (cannot be decided from the plan: review it)' : ''}`,
      },
      locations: [
        {
          // Without a source root there is no honest line (plan JSON is one line): the result pins to the file.
          physicalLocation: {
            artifactLocation: { uri: encodeUri(where.file) },
            ...(where.inSource ? { region: { startLine: where.line } } : {}),
          },
          logicalLocations: [{ fullyQualifiedName: f.resource, kind: 'resource' }],
        },
      ],
      partialFingerprints: { 'cipa/v1': fingerprint(f.control, f.resource) },
      properties: {
        resource: f.resource,
        resource_type: f.resource_type,
        module: f.module,
        plan: f.plan,
        severity: f.severity,
        status: f.status,
        ...(f.advisory ? { advisory: true } : {}),
        ...(frameworkSections(f.frameworks).length > 0 ? { frameworks: frameworkSections(f.frameworks) } : {}),
      },
    };
    if (f.status === 'waived') {
      const e = f.exception;
      result.suppressions = [
        {
          kind: 'external',
          status: 'accepted',
          justification: e ? e.reason : 'waived',
          ...(e
            ? {
                properties: {
                  owner: e.owner,
                  expires: e.expires,
                  control: e.control,
                  resource: e.resource,
                  ...(e.ticket ? { ticket: e.ticket } : {}),
                },
              }
            : {}),
        },
      ];
    }
    return result;
  });

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cipa',
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          bundle: report.bundle,
          gate: report.summary.result,
          fail_on,
          warn_on,
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Relative paths as URI references: keep `/`, percent-encode what a URI cannot hold (spaces, `#`, `%`…). */
function encodeUri(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
