import { describe, expect, it } from 'vitest';
import { generatePlan } from '../../src/bench/generate.js';
import { readBundle } from '../../src/bundle/read.js';
import { WasmEngine } from '../../src/engine/wasm.js';
import { builtinBundlePath, loadBundleFile } from '../../src/evaluate.js';
import type { PolicyReport } from '../../src/model.js';

const sorted = (report: PolicyReport) => report.decisions.map((d) => `${d.control} ${d.resource} ${d.status}`).sort();

describe('the Wasm engine when evaluation outgrows its memory', () => {
  // The engine sizes memory for the plan; a plan that makes the policy allocate more (an untagged estate fails a
  // control on every resource) grows memory during opa_eval, which detaches the buffer JavaScript held before.
  it('gives the same report as an instance sized with room to spare', async () => {
    const bundle = await readBundle(builtinBundlePath());
    const wasm = bundle.files.get('policy.wasm')!;
    const data = JSON.parse(bundle.files.get('data.json')!.toString('utf8')) as unknown;
    const input = new TextEncoder().encode(JSON.stringify(generatePlan(300, { untagged: true }).plan));
    const tight = await WasmEngine.load(wasm, data, 'tight', { baseBytes: 4 * 1024 * 1024, perInputByte: 1 });
    const before = tight.memoryBytes();
    const report = tight.evaluate(input, 'plan.json');
    expect(tight.memoryBytes()).toBeGreaterThan(before);
    const roomy = (await loadBundleFile(builtinBundlePath())).engine.evaluate(input, 'plan.json');
    expect(sorted(report)).toEqual(sorted(roomy));
    expect(report.decisions.some((d) => d.control === 'CIPA-GOV-04' && d.status === 'fail')).toBe(true);
  });
});
