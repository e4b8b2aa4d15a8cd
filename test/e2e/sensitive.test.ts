import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../../src/config/formats.js';
import { cipa, ROOT } from '../support/cli.js';

/**
 * Sensitive values never appear in any output format. Every fixture plan is rewritten so that every attribute of
 * every resource is marked sensitive (as `terraform show -json` marks secrets, with the value still in plain text),
 * canaries are planted where leaks are most likely (database passwords, Lambda environment, user data), and all
 * plans go through one `cipa eval` with every format. No distinctive planned value may appear in any output.
 */

const FIXTURES = join(ROOT, 'testdata', 'controls');
const tmp = mkdtempSync(join(tmpdir(), 'cipa-canary-'));
const plansDir = join(tmp, 'plans');
mkdirSync(plansDir);

function leaves(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') out.add(value);
  else if (Array.isArray(value)) for (const v of value) leaves(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
}

function allTrue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(allTrue);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, allTrue(v)]));
  return true;
}

const CANARIES = ['CANARY-db-password-7f3a9c', 'AKIACANARY0000000001', 'CANARY-lambda-token-51e2', 'CANARY-userdata-secret-9d0b'];

const secrets = new Set<string>(CANARIES);
/** Text the plans carry in the open (configuration, data sources read at plan time): never a secret. */
let publicText = '';
const addresses = new Set<string>();
const files: string[] = [];
let n = 0;
for (const dir of existsSync(FIXTURES) ? readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : []) {
  for (const name of readdirSync(join(FIXTURES, dir)).filter((f) => f.endsWith('.json') && !/\.(expect|data)\.json$/.test(f))) {
    const plan = JSON.parse(readFileSync(join(FIXTURES, dir, name), 'utf8')) as { resource_changes?: Array<Record<string, any>>; configuration?: unknown; prior_state?: unknown };
    publicText += `${JSON.stringify(plan.configuration ?? {})}\n${JSON.stringify(plan.prior_state ?? {})}\n`;
    for (const rc of plan.resource_changes ?? []) {
      addresses.add(rc.address as string);
      const after = rc.change?.after;
      if (!after || typeof after !== 'object') continue;
      if (rc.type === 'aws_db_instance') after.password = CANARIES[0];
      if (rc.type === 'aws_lambda_function') after.environment = [{ variables: { AWS_ACCESS_KEY_ID: CANARIES[1], API_TOKEN: CANARIES[2] } }];
      if (rc.type === 'aws_instance') after.user_data = `#!/bin/sh\nexport DB_PASSWORD=${CANARIES[3]}\n`;
      rc.change.after_sensitive = allTrue(after);
      leaves(after, secrets);
    }
    const file = join(plansDir, `${String(n++).padStart(3, '0')}-${dir}-${name}`);
    writeFileSync(file, JSON.stringify(plan));
    files.push(file);
  }
}

describe('sensitive values never reach an output', () => {
  it('in any format, over every fixture plan with everything marked sensitive', async () => {
    expect(files.length).toBeGreaterThan(50);
    const controls = await cipa(['controls', '-f', 'json']);
    // Text that may legitimately appear in outputs: the catalog, the policies' own message text, addresses, paths.
    const regoText = readdirSync(join(ROOT, 'rego'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.rego'))
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .join('\n');
    const allowed = `${controls.stdout}\n${regoText}\n${[...addresses].join('\n')}\n${files.join('\n')}\n${publicText}`.toLowerCase();
    // Case-insensitive: the HTML report lowercases text for its search index.
    const distinctive = [...secrets].filter((s) => s.length >= 6 && !allowed.includes(s.toLowerCase()) && !/^[\d.]+$/.test(s));
    for (const c of CANARIES) expect(distinctive).toContain(c);

    const outDir = join(tmp, 'out');
    mkdirSync(outDir);
    const summary = join(outDir, 'step-summary.md');
    writeFileSync(summary, '');
    const formats = FORMAT_NAMES.flatMap((f) => ['-f', f === 'github' ? f : `${f}=${join(outDir, `report.${f}`)}`]);
    const r = await cipa(['eval', ...files, ...formats, '--fail-on', 'critical'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect([0, 1], r.stderr).toContain(r.code);
    const outputs: Record<string, string> = { stdout: r.stdout, stderr: r.stderr };
    for (const f of readdirSync(outDir)) outputs[f] = readFileSync(join(outDir, f), 'utf8');
    expect(Object.keys(outputs).length).toBe(FORMAT_NAMES.length + 2);
    expect(outputs['report.json']!.length).toBeGreaterThan(1000);
    const leaks: string[] = [];
    for (const [where, text] of Object.entries(outputs)) {
      const lower = text.toLowerCase();
      for (const secret of distinctive) if (lower.includes(secret.toLowerCase())) leaks.push(`${where}: ${secret}`);
    }
    expect(leaks).toEqual([]);
  });
});
