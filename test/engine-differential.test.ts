import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readPlan, type LoadedBundle } from '../src/evaluate.js';
import type { PolicyReport } from '../src/model.js';
import { stableJson } from '../src/policy/data.js';
import { bundleFromRego, nativeReports, wasmBundle, type TestBundle } from './support/policy.js';

const ROOT = join(import.meta.dirname, '..');
const DIRS = [join(ROOT, 'testdata', 'plans'), join(ROOT, '..', 'shared', 'plans')];
const plans = DIRS.filter((d) => existsSync(d)).flatMap((d) =>
  readdirSync(d).filter((f) => f.endsWith('.json')).sort().map((f) => join(d, f)),
);

function comparable(report: PolicyReport): string[] {
  return report.decisions
    .map((d) => JSON.stringify([d.control, d.resource, d.status, d.severity, d.resource_type, d.module, [...d.messages].sort(), d.exception ? stableJson(d.exception) : null]))
    .sort();
}

describe('differential: the Wasm path (slimmed input) decides exactly as native opa on the raw plan', () => {
  let bundle: TestBundle;
  let wasm: LoadedBundle;
  let native: Map<string, PolicyReport>;

  beforeAll(async () => {
    bundle = await bundleFromRego();
    wasm = await wasmBundle(bundle);
    native = await nativeReports(bundle.path, plans.map((p) => ({ name: p, input: JSON.parse(readFileSync(p, 'utf8')) as unknown })));
  });

  it('covers the shared plans and the project\'s own', () => {
    expect(plans.length).toBeGreaterThanOrEqual(40);
  });

  it.each(plans.map((p) => [p.slice(p.lastIndexOf('/') + 1), p] as const))('%s', async (_name, path) => {
    const plan = await readPlan(path);
    const fromWasm = wasm.engine.evaluate(plan.input, path);
    const fromNative = native.get(path)!;
    expect(comparable(fromWasm)).toEqual(comparable(fromNative));
    expect(fromWasm.resources).toBe(fromNative.resources);
  });
});

describe('differential: exceptions shipped in bundle data waive the same decisions in Wasm and native opa', () => {
  const settings = {
    exceptions: [
      { control: 'CIPA-AWS-S3-*', resource: '**', owner: 'storage-team', reason: 'migrating', expires: '2099-12-31' },
      { control: 'CIPA-GOV-*', resource: 'module.*.**', owner: 'platform', reason: 'modules reviewed', expires: '2099-12-31', ticket: 'SEC-1' },
      { control: '*', resource: '**', owner: 'nobody', reason: 'expired long ago', expires: '2001-01-01' },
    ],
  };
  const sample = plans.filter((p) => /tf-plan-v4|nested_child_modules|modules_edges|count-02|test_issue-456/.test(p));

  it.each(sample.map((p) => [p.slice(p.lastIndexOf('/') + 1), p] as const))('%s', async (_name, path) => {
    const bundle = await bundleFromRego();
    const wasm = await wasmBundle(bundle, settings);
    const fromWasm = wasm.engine.evaluate((await readPlan(path)).input, path);
    const native = await nativeReports(bundle.path, [{ name: path, input: JSON.parse(readFileSync(path, 'utf8')) as unknown, settings }]);
    const fromNative = native.get(path)!;
    expect(comparable(fromWasm)).toEqual(comparable(fromNative));
    expect(stableJson(fromWasm.exceptions)).toEqual(stableJson(fromNative.exceptions));
    expect(fromWasm.exceptions?.expired).toHaveLength(1);
    expect(fromWasm.decisions.some((d) => d.exception?.owner === 'storage-team' || d.exception?.owner === 'platform')).toBe(true);
  });
});
