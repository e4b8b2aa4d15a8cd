import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { builtinBundlePath } from '../../src/evaluate.js';
import { cipa, ROOT } from '../support/cli.js';

// Runs the built CLI: `npm run build` first (npm test does it in pretest).
const tmp = mkdtempSync(join(tmpdir(), 'cipa-e2e-controls-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function catalogIds(): Promise<string[]> {
  const bundle = await readBundle(builtinBundlePath());
  const data = JSON.parse(bundle.files.get('data.json')!.toString('utf8')) as { cipa: { catalog: { controls: Record<string, { id: string }> } } };
  return Object.values(data.cipa.catalog.controls).map((c) => c.id).sort();
}

describe('cipa controls', () => {
  it('prints every control of the built-in bundle as text, one line each', async () => {
    const { code, stdout, stderr } = await cipa(['controls']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const ids = await catalogIds();
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SEVERITY\s+TITLE$/);
    expect(lines.slice(1, 1 + ids.length).map((l) => l.split(/\s+/)[0]).sort()).toEqual(ids);
    expect(lines.at(-1)).toBe(`${ids.length} controls in cipa 0.1.0`);
    expect(stdout).not.toContain('\u001b['); // not a TTY
  });

  it('-f json is an array of the METADATA fields of every control', async () => {
    const { code, stdout, stderr } = await cipa(['controls', '-f', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const controls = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(controls.map((c) => c.id as string).sort()).toEqual(await catalogIds());
    for (const c of controls) {
      expect(Object.keys(c).filter((k) => k !== 'enforced_from')).toEqual(['id', 'title', 'description', 'severity', 'frameworks', 'aliases', 'remediation', 'resource_types', 'package']);
    }
    const s3 = controls.find((c) => c.id === 'CIPA-AWS-S3-01')!;
    expect(s3.frameworks).toEqual({ 'cis-aws-1.4': ['2.1.5'] });
    expect(s3.resource_types).toContain('aws_s3_bucket');
  });

  it('-f markdown prints docs/controls.md as committed', async () => {
    const { code, stdout } = await cipa(['controls', '-f', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(join(ROOT, 'docs', 'controls.md'), 'utf8'));
  });

  it('--output writes the file instead of standard output', async () => {
    const out = join(tmp, 'docs', 'controls.md');
    const { code, stdout } = await cipa(['controls', '-f', 'markdown', '--output', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, 'docs', 'controls.md'), 'utf8'));
  });

  it('--bundle lists another bundle file', async () => {
    const { code, stdout } = await cipa(['controls', '-f', 'json', '--bundle', builtinBundlePath()]);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as unknown[]).length).toBe((await catalogIds()).length);
  });
});

describe('cipa controls --coverage', () => {
  it('cis-aws-1.4 prints covered (with control ids), not checkable (with reasons) and missing', async () => {
    const { code, stdout, stderr } = await cipa(['controls', '--coverage', 'cis-aws-1.4']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^CIS Amazon Web Services Foundations Benchmark v1\.4\.0 \(cis-aws-1\.4\)\n/);
    expect(stdout).toMatch(/\nCovered \(\d+\)\n/);
    expect(stdout).toMatch(/\n {2}2\.1\.5 +S3 buckets block public access +← CIPA-AWS-S3-01\n/);
    expect(stdout).toMatch(/\n {2}5\.2 +.*← CIPA-AWS-NET-01, CIPA-AWS-NET-02\n/);
    expect(stdout).toMatch(/\nNot checkable from a plan \(\d+\)\n/);
    expect(stdout).toMatch(/\n {2}1\.1 +Keep the account contact details current +— .+\n/);
    expect(stdout).toMatch(/\nMissing \(\d+\)\n/);
    expect(stdout).toMatch(/\n\d+ of 58 recommendations covered; \d+ not checkable from a plan; \d+ missing/);
  });

  it('-f json gives the three lists, accounting for all 58 recommendations', async () => {
    const { code, stdout } = await cipa(['controls', '--coverage', 'cis-aws-1.4', '-f', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      framework: string;
      summary: { recommendations: number; covered: number; not_checkable: number; missing: number };
      covered: Array<{ id: string; controls: string[] }>;
      not_checkable: Array<{ id: string; reason: string }>;
      missing: Array<{ id: string }>;
    };
    expect(report.framework).toBe('cis-aws-1.4');
    const s = report.summary;
    expect(s.recommendations).toBe(58);
    expect(s.covered + s.not_checkable + s.missing).toBe(58);
    expect(report.covered.find((r) => r.id === '2.1.5')?.controls).toEqual(['CIPA-AWS-S3-01']);
    expect(report.not_checkable.every((r) => r.reason.length > 10)).toBe(true);
  });

  it('an unknown framework is exit 2, one line naming the available ones', async () => {
    const { code, stdout, stderr } = await cipa(['controls', '--coverage', 'cis-aws-9']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: --coverage: no recommendation list for framework "cis-aws-9" (available: cis-aws-1.4, cis-aws-1.5, cis-azure-1.3, cis-azure-2.0, cis-azure-3.0, cis-gcp-1.3, cis-gcp-2.0)\n');
  });

  it('markdown is not a coverage format: exit 2', async () => {
    const { code, stderr } = await cipa(['controls', '--coverage', 'cis-aws-1.4', '-f', 'markdown']);
    expect(code).toBe(2);
    expect(stderr).toBe('error: --coverage prints text or json, not markdown\n');
  });
});

describe('cipa controls: a bad --bundle is one line and exit 2', () => {
  const file = (name: string, content: string | Buffer) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    return path;
  };
  it.each([
    ['a missing file', () => join(tmp, 'nope.tar.gz'), /nope\.tar\.gz: no such file/],
    ['a directory', () => tmp, /not a file/],
    ['not gzip', () => file('plain.tar.gz', 'hello'), /plain\.tar\.gz: not a gzip-compressed bundle/],
    ['gzip of garbage', () => file('garbage.tar.gz', gzipSync(Buffer.alloc(1024, 7))), /garbage\.tar\.gz: /],
  ])('%s', async (_name, path, message) => {
    const { code, stdout, stderr } = await cipa(['controls', '--bundle', path()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^error: /);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an unknown format is a usage error, exit 2', async () => {
    const { code, stderr } = await cipa(['controls', '-f', 'yaml']);
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: .*yaml/);
  });
});
