import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatePlan } from '../../src/bench/generate.js';
import { cipa } from '../support/cli.js';

/** Plans of 100 MB and more must work: read as bytes, evaluated in Wasm with a heap past 2 GiB. */
describe('a plan over 100 MB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cipa-large-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('evaluates end to end through the CLI', { timeout: 300_000 }, async () => {
    const file = join(dir, 'plan.json');
    const { plan, resources } = generatePlan(56_000);
    writeFileSync(file, JSON.stringify(plan));
    expect(statSync(file).size).toBeGreaterThan(100 * 1000 * 1000);
    const out = join(dir, 'report.json');
    const r = await cipa(['eval', file, '-f', `json=${out}`]);
    expect(r.stderr).not.toMatch(/error/);
    const report = JSON.parse(readFileSync(out, 'utf8')) as { plans: Array<{ resources: number }>; summary: { result: string; failed: number; passed: number } };
    expect(report.plans[0]!.resources).toBe(resources);
    expect(report.summary.passed + report.summary.failed).toBeGreaterThan(resources);
    expect(r.code).toBe(report.summary.result === 'fail' ? 1 : 0);
  });
});
