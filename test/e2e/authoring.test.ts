import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { cipa, ROOT } from '../support/cli.js';
import { committed, CONTROL_ID, findLine, replaceLine, smallPolicy } from '../authoring/helpers.js';
import { displayPath } from '../../src/paths.js';

const SHARED = join(ROOT, '..', 'shared', 'plans');
const validateTestReport = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'test-report.schema.json'), 'utf8')) as object);

describe('cipa test (CLI)', () => {
  it.concurrent('exit 0 on a passing policy directory, with a summary by control', async () => {
    const p = smallPolicy();
    const r = await cipa(['test', p.rego]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`ok\\s+${CONTROL_ID}\\s+\\d+ unit, \\d+ fixtures`));
    expect(r.stdout).toMatch(/^PASS 1 control, \d+\/\d+ unit tests passed, \d+\/\d+ fixtures passed$/m);
  });

  it.concurrent('a deliberately broken control in a copy of rego/ fails (exit 1) pointing at its file and line', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cipa-e2e-broken-'));
    committed(root, ['rego']);
    const file = join(root, 'rego', 'cipa', 'controls', 'aws', 's3_bucket_versioning', 's3_bucket_versioning.rego');
    const line = findLine(file, 'some bucket in scope');
    replaceLine(file, line, `${readFileSync(file, 'utf8').split('\n')[line - 1]}\n\tnet.lookup_ip_addr("example.com")`);
    const r = await cipa(['test', join(root, 'rego')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`${displayPath(file, ROOT)}:${line + 1}:`);
    expect(r.stdout).toContain('net.lookup_ip_addr');
    expect(r.stdout).toMatch(/^FAIL /m);
  });

  it.concurrent('a fixture that no longer matches fails with the expectation file:line, in text, json and junit', async () => {
    const p = smallPolicy();
    const line = findLine(p.control, 'count(_sources(bucket)) == 0');
    replaceLine(p.control, line, '\tcount(_sources(bucket)) == 1');
    const [json, junit] = await Promise.all([cipa(['test', p.rego, '-f', 'json']), cipa(['test', p.rego, '-f', 'junit'])]);
    expect(json.code).toBe(1);
    expect(validateTestReport(JSON.parse(json.stdout)), JSON.stringify(validateTestReport.errors)).toBe(true);
    const report = JSON.parse(json.stdout) as { result: string; failures: Array<{ kind: string; file: string; line: number; expected: string; wasm: string; native: string }> };
    expect(report.result).toBe('fail');
    const f = report.failures.find((x) => x.kind === 'expectation')!;
    expect(f.wasm).toBe(f.native);
    expect(f.expected).not.toBe(f.wasm);
    expect(readFileSync(resolve(ROOT, f.file), 'utf8').split('\n')[f.line - 1]).toContain(`"${f.expected}"`);
    expect(junit.code).toBe(1);
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(junit.stdout) as { testsuites: { failures: string } };
    expect(Number(xml.testsuites.failures)).toBeGreaterThan(0);
  });

  it.concurrent('exit 2 on errors: no such directory, a bad --run pattern, a bad --threshold', async () => {
    const missing = await cipa(['test', '/nonexistent/policy']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: \/nonexistent\/policy: no such file or directory/);
    const p = smallPolicy();
    const run = await cipa(['test', p.rego, '--run', '(']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--run \( is not a regular expression/);
    const threshold = await cipa(['test', p.rego, '--threshold', 'lots']);
    expect(threshold.code).toBe(2);
  });

  it.concurrent('--coverage prints line coverage per control file; --threshold 100 fails below it', async () => {
    const p = smallPolicy();
    const r = await cipa(['test', p.rego, '--coverage', '--threshold', '100']);
    expect(r.stdout).toMatch(/coverage \(unit tests and fixtures\)\n\s+\d+\.\d%\s+\S+s3_bucket_default_encryption\.rego/);
    const covered = /(\d+\.\d)%\s+\S+s3_bucket_default_encryption\.rego/.exec(r.stdout)![1]!;
    expect(r.code).toBe(Number(covered) < 100 ? 1 : 0);
  });

  it.concurrent('--watch runs again after a file changes', async () => {
    const p = smallPolicy();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'test', p.rego, '--run', 'S3-02', '--watch'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const waitFor = async (test: () => boolean, what: string) => {
      for (let i = 0; i < 600 && !test(); i++) await new Promise((r) => setTimeout(r, 100));
      if (!test()) throw new Error(`timed out waiting for ${what}: ${out} ${err}`);
    };
    try {
      await waitFor(() => /watching /.test(err), 'the first run');
      expect(out).toMatch(/^PASS /m);
      const expectFile = join(p.fixtures, 'v3_no_encryption.expect.json');
      const e = JSON.parse(readFileSync(expectFile, 'utf8')) as { decisions: Record<string, string> };
      for (const k of Object.keys(e.decisions)) e.decisions[k] = e.decisions[k] === 'pass' ? 'fail' : 'pass';
      writeFileSync(expectFile, JSON.stringify(e, null, 2));
      await waitFor(() => /^FAIL /m.test(out), 'a second run');
      expect(out.match(/^(PASS|FAIL) \d+ control/gm)!.length).toBeGreaterThanOrEqual(2);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0); // stops cleanly on a signal, leaving no watcher behind
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

describe('cipa init, new control, bundle build, fixture (CLI)', () => {
  it.concurrent('init in an empty directory, then test and bundle build succeed; new control adds one that passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cipa-e2e-init-'));
    const init = await cipa(['init', '--org', 'acme'], { cwd: dir });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created bundle.yaml');
    const added = await cipa(['new', 'control', 'ACME-EC2-01', '--provider', 'aws', '--service', 'ec2'], { cwd: dir });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(join('policy', 'cipa', 'controls', 'acme', 'acme_ec2_01', 'acme_ec2_01.rego'));
    const [test, build] = await Promise.all([cipa(['test'], { cwd: dir }), cipa(['bundle', 'build', 'bundle.yaml', '--out', 'dist/acme.tar.gz'], { cwd: dir })]);
    expect(test.code, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/ok\s+ACME-EC2-01/);
    expect(test.stdout).toMatch(/ok\s+ACME-S3-01/);
    expect(build.code, build.stderr).toBe(0);
    expect(existsSync(join(dir, 'dist', 'acme.tar.gz'))).toBe(true);
    expect(build.stderr).toMatch(/built acme-policy 0\.1\.0/);
    const again = await cipa(['init'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  it.concurrent('fixture writes an anonymised minimal case and its expectation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cipa-e2e-fixture-'));
    mkdirSync(join(dir, 'out'));
    const plan = join(SHARED, 'bridgecrewio__checkov__tests--terraform--checks--data--aws--example_GithubActionsOIDCTrustPolicy--tfplan.json');
    const source = readFileSync(plan, 'utf8');
    const r = await cipa(['fixture', plan, '--control', 'CIPA-GOV-01', '--out', join(dir, 'out'), '--name', 'oidc', '--bundle', join(ROOT, 'bundles', 'cipa.tar.gz')], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(dir, 'out', 'cipa-gov-01')).sort();
    expect(files).toEqual(['oidc.expect.json', 'oidc.json']);
    const written = readFileSync(join(dir, 'out', 'cipa-gov-01', 'oidc.json'), 'utf8');
    for (const account of new Set(source.match(/\b\d{12}\b/g) ?? [])) expect(written).not.toContain(account);
    const expectation = JSON.parse(readFileSync(join(dir, 'out', 'cipa-gov-01', 'oidc.expect.json'), 'utf8')) as { control: string; decisions: Record<string, string> };
    expect(expectation.control).toBe('CIPA-GOV-01');
    expect(Object.keys(expectation.decisions).length).toBeGreaterThan(0);
    const bad = await cipa(['fixture', plan, '--control', 'NOPE-01', '--out', join(dir, 'out'), '--bundle', join(ROOT, 'bundles', 'cipa.tar.gz')], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/NOPE-01 is not in the policy/);
  });
});
