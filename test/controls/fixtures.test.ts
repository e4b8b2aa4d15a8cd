import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedBundle } from '../../src/evaluate.js';
import { readPlan } from '../../src/evaluate.js';
import type { PolicyReport } from '../../src/model.js';
import { bundleFromRego, nativeReports, wasmBundle, type TestBundle } from '../support/policy.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'testdata', 'controls');

interface Expectation {
  control: string;
  decisions: Record<string, 'pass' | 'fail' | 'unknown'>;
}

interface Case {
  name: string;
  plan: string;
  expectation: Expectation;
  settings?: unknown;
}

function discover(): Case[] {
  if (!existsSync(FIXTURES)) return [];
  const cases: Case[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES, dir.name)).sort()) {
      if (!file.endsWith('.json') || /\.(expect|data)\.json$/.test(file)) continue;
      const base = join(FIXTURES, dir.name, file.replace(/\.json$/, ''));
      const expectFile = `${base}.expect.json`;
      if (!existsSync(expectFile)) throw new Error(`${base}.json has no ${base}.expect.json`);
      const c: Case = { name: `${dir.name}/${file}`, plan: `${base}.json`, expectation: JSON.parse(readFileSync(expectFile, 'utf8')) as Expectation };
      if (existsSync(`${base}.data.json`)) c.settings = JSON.parse(readFileSync(`${base}.data.json`, 'utf8')) as unknown;
      cases.push(c);
    }
  }
  return cases;
}

const cases = discover();

function decisionsOf(report: PolicyReport, control: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of report.decisions) if (d.control === control) out[d.resource] = d.status;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

describe('control fixtures: Wasm and native opa agree with the expectations', () => {
  let bundle: TestBundle;
  let plain: LoadedBundle;
  let native: Map<string, PolicyReport>;

  beforeAll(async () => {
    bundle = await bundleFromRego();
    plain = await wasmBundle(bundle);
    native = await nativeReports(
      bundle.path,
      cases.map((c) => ({ name: c.name, input: JSON.parse(readFileSync(c.plan, 'utf8')) as unknown, ...(c.settings ? { settings: c.settings } : {}) })),
    );
  });

  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const known = bundle.built.controls.map((control) => control.id);
    expect(known, `${c.name}: unknown control id`).toContain(c.expectation.control);
    const engine = c.settings === undefined ? plain : await wasmBundle(bundle, c.settings);
    const wasm = engine.engine.evaluate((await readPlan(c.plan)).input, c.plan);
    const expected = sorted(c.expectation.decisions);
    expect(decisionsOf(wasm, c.expectation.control), 'Wasm path').toEqual(expected);
    expect(decisionsOf(native.get(c.name)!, c.expectation.control), 'native opa').toEqual(expected);
  });
});
