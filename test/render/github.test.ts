import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { appendStepSummary, escapeData, escapeProperty, renderGithub, renderGithubSummary } from '../../src/render/github.js';
import { NASTY, control, finding, sampleReport } from './fixtures.js';

/** What the runner does with a workflow command: split on the first `::` after the properties, unescape. */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a command: ${line}`);
  const unescape = (s: string) => s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',').filter(Boolean)) {
    const eq = pair.indexOf('=');
    props[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { command: m[1]!, props, message: unescape(m[3]!) };
}

describe('github annotations', () => {
  it('maps levels to error / warning / notice and skips waived findings', () => {
    const lines = renderGithub(sampleReport()).trimEnd().split('\n').map(parseCommand);
    expect(lines.map((l) => `${l.command} ${l.props.title?.split(' ')[0]}`)).toEqual([
      'error CIPA-AWS-S3-01',
      'error CIPA-AWS-S3-01',
      'warning CIPA-AWS-S3-02',
      'warning CIPA-AWS-CT-01',
      'warning CIPA-AWS-TAG-01',
      'notice CIPA-AWS-INFO-01',
    ]);
    expect(lines[0]).toEqual({
      command: 'error',
      props: { file: 'plans/prod.json', title: 'CIPA-AWS-S3-01 (critical): Title of CIPA-AWS-S3-01' },
      message: 'aws_s3_bucket.site: aws_s3_bucket.site has the attribute off [plan plans/prod.json]',
    });
    expect(lines[2]!.message).toContain('cannot be decided from the plan');
  });

  it('uses .tf locations and reports expired exceptions', () => {
    const report = sampleReport();
    const out = renderGithub(report, {
      locations: new Map([['aws_s3_bucket.site', { file: 'infra/main.tf', line: 12 }]]),
      exceptions: { expired: [{ exception: report.findings[3]!.exception!, index: 2, matched: [] }], stale: [] },
    });
    const lines = out.trimEnd().split('\n').map(parseCommand);
    expect(lines[0]!.props).toMatchObject({ file: 'infra/main.tf', line: '12' });
    expect(lines[0]!.message).toBe('aws_s3_bucket.site: aws_s3_bucket.site has the attribute off');
    expect(lines.at(-1)).toMatchObject({ command: 'warning', props: { title: 'cipa: expired exception' } });
    expect(lines.at(-1)!.message).toContain('exception 3 (CIPA-AWS-S3-02 on aws_s3_bucket.data, owner data-team) expired on 2026-12-31');
  });

  it('escapes per the runner rules so every annotation stays one command', () => {
    expect(escapeData('100%\r\n:,')).toBe('100%25%0D%0A:,');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    const report = sampleReport();
    const c = control('CIPA-X-01', 'critical', { title: NASTY.join(' ') });
    report.findings = NASTY.map((t, i) => finding(c, `aws_s3_bucket.n${i}`, { message: t, plan: `p,${i}:x.json` }));
    const lines = renderGithub(report).trimEnd().split('\n');
    expect(lines).toHaveLength(NASTY.length);
    for (const [i, line] of lines.entries()) {
      const parsed = parseCommand(line);
      expect(parsed.props.file).toBe(`p,${i}:x.json`);
      expect(parsed.props.title).toBe(`CIPA-X-01 (critical): ${NASTY.join(' ')}`);
      expect(parsed.message).toBe(`aws_s3_bucket.n${i}: ${NASTY[i]} [plan p,${i}:x.json]`);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const enc = escapeProperty(s);
        return !/[\r\n:,]/.test(enc) && parseCommand(`::error title=${enc}::${escapeData(s)}`).props.title === s;
      }),
    );
  });

  it('says when there are more annotations than GitHub displays', () => {
    const report = sampleReport();
    const c = control('CIPA-X-01', 'critical');
    report.findings = Array.from({ length: 11 }, (_, i) => finding(c, `aws_s3_bucket.b${i}`));
    const lines = renderGithub(report).trimEnd().split('\n');
    expect(lines).toHaveLength(12);
    expect(parseCommand(lines[11]!)).toMatchObject({ command: 'notice', props: { title: 'cipa: more findings than GitHub shows' } });
    report.findings.pop();
    expect(renderGithub(report).trimEnd().split('\n')).toHaveLength(10);
  });

  it('renders nothing for a clean report', () => {
    const report = sampleReport();
    report.findings = [];
    expect(renderGithub(report)).toBe('');
  });
});

describe('github job summary', () => {
  it('appends to GITHUB_STEP_SUMMARY when set, and does nothing otherwise', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cipa-gh-'));
    const file = join(dir, 'summary.md');
    await writeFile(file, 'previous step\n');
    const md = renderGithubSummary(sampleReport());
    expect(await appendStepSummary(md, { GITHUB_STEP_SUMMARY: file })).toBe(file);
    expect(await appendStepSummary('second', { GITHUB_STEP_SUMMARY: file })).toBe(file);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('previous step\n### ❌ cipa: policy gate failed')).toBe(true);
    expect(text.endsWith('second\n')).toBe(true);
    expect(await appendStepSummary(md, {})).toBeUndefined();
    await expect(appendStepSummary(md, { GITHUB_STEP_SUMMARY: join(dir, 'missing', 'x.md') })).rejects.toBeInstanceOf(InputError);
  });
});
