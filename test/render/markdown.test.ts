import { describe, expect, it } from 'vitest';
import { mdText } from '../../src/render/escape.js';
import { escapeOutsideFences, renderMarkdown } from '../../src/render/markdown.js';
import { NASTY, control, finding, sampleReport } from './fixtures.js';

describe('markdown', () => {
  it('has a headline, a count table and findings by severity in collapsed details', () => {
    const md = renderMarkdown(sampleReport());
    expect(md.startsWith('### ❌ cipa: policy gate failed\n')).toBe(true);
    expect(md).toContain('| Severity | Failed | Unknown | Waived |');
    expect(md).toContain('| critical | 2 | 0 | 0 |');
    expect(md).toContain('| high | 0 | 1 | 1 |');
    expect(md).toContain('| **total** | **5** | **1** | **1** |');
    expect(md).toContain('3 checks passed.');
    const details = md.match(/<details><summary><b>(\w+)<\/b> \((\d+)\)<\/summary>/g);
    expect(details).toEqual([
      '<details><summary><b>Critical</b> (2)</summary>',
      '<details><summary><b>High</b> (2)</summary>',
      '<details><summary><b>Medium</b> (1)</summary>',
      '<details><summary><b>Low</b> (1)</summary>',
      '<details><summary><b>Info</b> (1)</summary>',
    ]);
    expect(md).not.toContain('<details open');
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    expect(md).toContain('waived by data&#45;team'.replace('&#45;', '-'));
    expect(md).toContain('<b>How to fix</b>');
    expect(md).toContain('```hcl\nresource "x" "y" {');
  });

  it('lists expired and unused exceptions', () => {
    const report = sampleReport();
    const e = report.findings[3]!.exception!;
    const md = renderMarkdown(report, { exceptions: { expired: [{ exception: e, index: 0, matched: [{ control: 'a', resource: 'b', plan: 'c' }] }], stale: [{ exception: e, index: 4 }] } });
    expect(md).toContain('(1 expired, 1 unused)');
    expect(md).toContain('expired: no longer waives 1 finding');
    expect(md).toMatch(/\| 5 \| .* matches no finding \|/);
  });

  it('renders report text literally: no HTML, no table breaks, no mentions', () => {
    const report = sampleReport();
    const c = control('CIPA-X-01', 'critical', { title: '@octocat #1 | x' });
    report.findings = NASTY.map((t, i) => finding(c, `aws_s3_bucket.n${i}`, { message: t }));
    const md = renderMarkdown(report);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('@octocat');
    expect(md).not.toMatch(/(^|[^&])#1\b/);
    const rows = md.split('\n').filter((l) => l.includes('aws&#95;s3&#95;bucket.n'));
    expect(rows).toHaveLength(NASTY.length);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(7); // 5 cells
    expect(mdText('a|b\nc')).toBe('a&#124;b<br>c');
  });

  it('stays under maxLength, dropping lower severities first and saying so', () => {
    const report = sampleReport();
    const hi = control('CIPA-HI-01', 'critical');
    const lo = control('CIPA-LO-01', 'low');
    report.findings = [
      ...Array.from({ length: 300 }, (_, i) => finding(lo, `aws_s3_bucket.low${i}`)),
      ...Array.from({ length: 50 }, (_, i) => finding(hi, `aws_s3_bucket.crit${i}`)),
    ];
    const md = renderMarkdown(report, { maxLength: 20_000 });
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md.match(/<code>aws&#95;s3&#95;bucket.crit\d+<\/code>/g)!.length).toBe(50);
    const shownLow = (md.match(/<code>aws&#95;s3&#95;bucket.low\d+<\/code>/g) ?? []).length;
    expect(shownLow).toBeLessThan(300);
    expect(md).toContain(`_${300 - shownLow} findings not shown to keep this comment under 20000 characters`);
  });

  it('escapes HTML in remediation outside code fences only', () => {
    expect(escapeOutsideFences('a </details> b\n```\nx <<EOF\n```\n<y>')).toBe('a &lt;/details> b\n```\nx <<EOF\n```\n&lt;y>');
  });
});
