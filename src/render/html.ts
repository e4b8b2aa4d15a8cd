import type { EvalReport, Finding } from '../model.js';
import { SEVERITIES, type Severity } from '../severity.js';
import { escapeHtml as e } from './escape.js';
import { cmp, frameworkSections, locationOf, plural, sortFindings } from './shared.js';
import type { RenderOptions } from './types.js';

/**
 * One self-contained HTML file: inline CSS, inline SVG charts drawn here (not in the browser), a findings table
 * with a plain-JS filter. Nothing is fetched when it is opened — a Content-Security-Policy forbids any network
 * load — and every value from the report is HTML-escaped; no report data is placed inside the script.
 */

const COLOR: Record<Severity, string> = {
  critical: '#8b1a1a',
  high: '#c0392b',
  medium: '#d68910',
  low: '#2e86c1',
  info: '#7f8c8d',
};

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --fg: #1d2329; --muted: #5d6770; --line: #d8dee4; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header { padding: 20px 28px; border-bottom: 1px solid var(--line); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header p { margin: 0; color: var(--muted); }
main { padding: 20px 28px; max-width: 1400px; }
.gate { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 600; color: #fff; }
.gate-fail { background: #b3261e; } .gate-warn { background: #b26a00; } .gate-pass { background: #1e7b34; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 0 0 20px; padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; background: var(--bg); }
.card .num { display: block; font-size: 26px; font-weight: 700; }
.card .label { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; margin-bottom: 24px; }
figure { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
figcaption { font-weight: 600; margin-bottom: 8px; }
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
.controls { display: flex; gap: 12px; align-items: center; margin: 8px 0 12px; flex-wrap: wrap; }
.controls input { padding: 6px 10px; width: 320px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.controls select { padding: 5px 8px; font: inherit; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--bg); position: sticky; top: 0; }
td code, .mono { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.sev { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
${SEVERITIES.map((s) => `.sev-${s} { background: ${COLOR[s]}; }`).join('\n')}
.status-waived td { color: var(--muted); }
details summary { cursor: pointer; color: #0b5cad; }
pre { white-space: pre-wrap; background: var(--bg); padding: 8px; border-radius: 6px; margin: 6px 0 0; font-size: 12px; }
.empty { color: var(--muted); }
section { margin-bottom: 28px; }
h2 { font-size: 16px; margin: 0 0 10px; }
`;

const SCRIPT = `
(function () {
  var input = document.getElementById('filter');
  var sev = document.getElementById('severity-filter');
  var status = document.getElementById('status-filter');
  var rows = Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr.finding'));
  var count = document.getElementById('shown');
  function apply() {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-search');
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; })
        && (!sev.value || row.getAttribute('data-severity') === sev.value)
        && (!status.value || row.getAttribute('data-status') === status.value);
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = String(shown);
  }
  input.addEventListener('input', apply);
  sev.addEventListener('change', apply);
  status.addEventListener('change', apply);
  apply();
})();
`;

interface Bar {
  label: string;
  value: number;
  color: string;
  key: string;
}

/** A horizontal bar chart as inline SVG. */
function barChart(id: string, title: string, bars: Bar[]): string {
  if (bars.length === 0) return `<figure id="${id}"><figcaption>${e(title)}</figcaption><p class="empty">No findings.</p></figure>`;
  const labelWidth = Math.min(260, Math.max(70, ...bars.map((b) => b.label.length * 7 + 10)));
  const plotWidth = 300;
  const rowHeight = 26;
  const max = Math.max(...bars.map((b) => b.value));
  const height = bars.length * rowHeight + 8;
  const width = labelWidth + plotWidth + 50;
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowHeight;
    const w = Math.max(2, Math.round((b.value / max) * plotWidth));
    return [
      `<g class="bar" data-key="${e(b.key)}" data-value="${b.value}">`,
      `<title>${e(`${b.label}: ${b.value}`)}</title>`,
      `<text x="${labelWidth - 8}" y="${y + 16}" text-anchor="end">${e(b.label.length > 36 ? `${b.label.slice(0, 35)}…` : b.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${w}" height="${rowHeight - 8}" rx="3" fill="${b.color}"></rect>`,
      `<text x="${labelWidth + w + 6}" y="${y + 16}">${b.value}</text>`,
      '</g>',
    ].join('');
  });
  return `<figure id="${id}"><figcaption>${e(title)}</figcaption><svg role="img" aria-label="${e(title)}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${rows.join('')}</svg></figure>`;
}

function active(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.status !== 'waived');
}

function severityBars(findings: readonly Finding[]): Bar[] {
  return SEVERITIES.map((s) => ({ label: s, key: s, value: findings.filter((f) => f.severity === s).length, color: COLOR[s] })).filter((b) => b.value > 0);
}

function frameworkBars(findings: readonly Finding[], limit = 15): Bar[] {
  const counts = new Map<string, number>();
  for (const f of findings) for (const s of frameworkSections(f.frameworks)) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts]
    .sort(([a, x], [b, y]) => y - x || cmp(a, b))
    .slice(0, limit)
    .map(([label, value]) => ({ label, key: label, value, color: '#34495e' }));
}

function statusText(f: Finding): string {
  if (f.status === 'fail') return f.advisory ? 'fail (advisory)' : 'fail';
  return f.status;
}

export function renderHtml(report: EvalReport, options: RenderOptions = {}): string {
  const s = report.summary;
  const findings = sortFindings(report.findings);
  const open = active(findings);
  const failed = findings.filter((f) => f.status === 'fail').length;
  const unknown = findings.filter((f) => f.status === 'unknown').length;
  const waived = findings.filter((f) => f.status === 'waived').length;

  const cards = [
    ['Failed', failed, 'failed'],
    ['Unknown', unknown, 'unknown'],
    ['Waived', waived, 'waived'],
    ['Passed', s.passed, 'passed'],
    ['Plans', report.plans.length, 'plans'],
    ['Controls', report.controls.length, 'controls'],
  ] as const;

  const rows = findings.map((f) => {
    const where = locationOf(f, options);
    const search = [f.control, f.title, f.resource, f.resource_type, f.module, f.plan, f.message, f.severity, f.status, ...frameworkSections(f.frameworks)]
      .join(' ')
      .toLowerCase();
    const waiver = f.status === 'waived' && f.exception
      ? `<div class="mono">waived by ${e(f.exception.owner)} until ${e(f.exception.expires)}: ${e(f.exception.reason)}${f.exception.ticket ? ` (${e(f.exception.ticket)})` : ''}</div>`
      : '';
    return [
      `<tr class="finding status-${e(f.status)}" data-severity="${e(f.severity)}" data-status="${e(f.status)}" data-search="${e(search)}">`,
      `<td><span class="sev sev-${e(f.severity)}">${e(f.severity)}</span></td>`,
      `<td><code>${e(f.control)}</code><br>${e(f.title)}</td>`,
      `<td><code>${e(f.resource)}</code></td>`,
      `<td>${e(statusText(f))}</td>`,
      `<td>${e(f.message)}${waiver}</td>`,
      `<td><code>${e(where.inSource ? `${where.file}:${where.line}` : where.file)}</code></td>`,
      `<td>${f.remediation ? `<details><summary>How to fix</summary><pre>${e(f.remediation)}</pre></details>` : ''}</td>`,
      '</tr>',
    ].join('');
  });

  const expired = options.exceptions?.expired ?? [];
  const stale = options.exceptions?.stale ?? [];
  const exceptionSection =
    expired.length + stale.length === 0
      ? ''
      : `<section id="exceptions"><h2>Exceptions to review</h2><table><thead><tr><th>Entry</th><th>Control</th><th>Resource</th><th>Owner</th><th>Expires</th><th>Problem</th></tr></thead><tbody>${[
          ...expired.map(
            (x) =>
              `<tr><td>${x.index + 1}</td><td><code>${e(x.exception.control)}</code></td><td><code>${e(x.exception.resource)}</code></td><td>${e(x.exception.owner)}</td><td>${e(x.exception.expires)}</td><td>expired: no longer waives ${e(plural(x.matched.length, 'finding'))}</td></tr>`,
          ),
          ...stale.map(
            (x) =>
              `<tr><td>${x.index + 1}</td><td><code>${e(x.exception.control)}</code></td><td><code>${e(x.exception.resource)}</code></td><td>${e(x.exception.owner)}</td><td>${e(x.exception.expires)}</td><td>matches no finding</td></tr>`,
          ),
        ].join('')}</tbody></table></section>`;

  const plans = report.plans.map((p) => `<code>${e(p.path)}</code> (Terraform ${e(p.terraform_version)}, ${e(plural(p.resources, 'resource'))})`).join(', ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>cipa report: ${e(HEADLINE[s.result] ?? s.result)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>cipa policy report <span class="gate gate-${e(s.result)}" id="gate">${e(HEADLINE[s.result] ?? s.result)}</span></h1>
<p>Bundle <code>${e(report.bundle.name)}</code> ${e(report.bundle.version)} · <span class="mono">${e(report.bundle.digest)}</span> · fails on <b>${e(s.fail_on)}</b>, warns on <b>${e(s.warn_on)}</b></p>
<p>${plans}</p>
</header>
<main>
<ul class="cards" id="summary">${cards.map(([label, n, id]) => `<li class="card" data-card="${id}"><span class="num">${n}</span><span class="label">${label}</span></li>`).join('')}</ul>
<div class="charts">
${barChart('chart-severity', 'Open findings by severity', severityBars(open))}
${barChart('chart-framework', 'Open findings by framework section', frameworkBars(open))}
</div>
${exceptionSection}
<section>
<h2>Findings</h2>
<div class="controls">
<input id="filter" type="search" placeholder="Filter: control, resource, message, framework…" aria-label="Filter findings" autocomplete="off">
<select id="severity-filter" aria-label="Severity"><option value="">All severities</option>${SEVERITIES.map((x) => `<option value="${x}">${x}</option>`).join('')}</select>
<select id="status-filter" aria-label="Status"><option value="">All statuses</option><option value="fail">fail</option><option value="unknown">unknown</option><option value="waived">waived</option></select>
<span>Showing <b id="shown">${findings.length}</b> of <b id="total">${findings.length}</b></span>
</div>
<table id="findings">
<thead><tr><th>Severity</th><th>Control</th><th>Resource</th><th>Status</th><th>Message</th><th>Location</th><th>Remediation</th></tr></thead>
<tbody>
${rows.length > 0 ? rows.join('\n') : '<tr><td colspan="7" class="empty">No findings.</td></tr>'}
</tbody>
</table>
</section>
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

const HEADLINE: Record<string, string> = { pass: 'passed', warn: 'passed with warnings', fail: 'failed' };
