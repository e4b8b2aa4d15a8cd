import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CompileError } from '../../src/errors.js';
import { CUSTOM_BUILTINS } from '../../src/engine/builtins.js';
import { WasmEngine } from '../../src/engine/wasm.js';
import { runOpaOrThrow } from '../../src/opa/run.js';
import { deriveWasmCapabilities } from '../../src/policy/capabilities.js';
import { compileWasm } from '../../src/policy/compile.js';
import { ROOT } from '../support/cli.js';

function policyDir(rego: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cipa-caps-'));
  mkdirSync(join(dir, 'cipa', 'main'), { recursive: true });
  writeFileSync(join(dir, 'cipa', 'main', 'main.rego'), rego);
  return dir;
}

describe('capabilities: only what Node can run', () => {
  it('rego/capabilities.json is what the pinned opa derives (run `npm run capabilities` after an opa upgrade)', async () => {
    const { capabilities, native, nonNative } = await deriveWasmCapabilities();
    const committed = JSON.parse(readFileSync(join(ROOT, 'rego', 'capabilities.json'), 'utf8')) as unknown;
    expect(committed).toEqual(capabilities);
    expect(native).toContain('regex.match');
    expect(nonNative).toContain('sprintf');
  });

  it.each([
    ['sprintf', 'report := {"decisions": [], "resources": 0, "x": sprintf("%d", [1])}'],
    ['time.parse_rfc3339_ns', 'report := {"decisions": [], "resources": time.parse_rfc3339_ns("2020-01-01T00:00:00Z")}'],
    ['http.send', 'report := http.send({"method": "get", "url": "http://127.0.0.1:1"})'],
  ])('a policy using %s fails the build with the builtin, the file and the line', async (builtin, rule) => {
    const dir = policyDir(`package cipa.main\n\n${rule}\n`);
    const error = await compileWasm([dir]).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CompileError);
    expect((error as CompileError).message).toMatch(new RegExp(`cipa/main/main\\.rego:3: builtin ${builtin.replace(/\./g, '\\.')} is not available in the Wasm path`));
  });
});

describe('custom builtins agree with OPA', () => {
  it.each([0, 86_399_999_999_999, 1_700_000_000_123_456_789, 951_782_400_000_000_000, -86_400_000_000_001])('time.date(%d)', async (ns) => {
    const out = JSON.parse(await runOpaOrThrow(['eval', '-f', 'json', `time.date(${ns})`], 'opa eval')) as { result: Array<{ expressions: Array<{ value: unknown }> }> };
    expect(CUSTOM_BUILTINS['time.date']!(ns)).toEqual(out.result[0]!.expressions[0]!.value);
  });

  it('time.now_ns is close to OPA\'s', async () => {
    const out = JSON.parse(await runOpaOrThrow(['eval', '-f', 'json', 'time.now_ns()'], 'opa eval')) as { result: Array<{ expressions: Array<{ value: number }> }> };
    expect(Math.abs((CUSTOM_BUILTINS['time.now_ns']!() as number) - out.result[0]!.expressions[0]!.value)).toBeLessThan(60e9);
  });

  it('are called from a compiled module through the Wasm engine', async () => {
    const dir = policyDir('package cipa.main\n\nreport := {"decisions": [], "resources": 0, "today": time.date(time.now_ns())}\n');
    const engine = await WasmEngine.load(await compileWasm([dir]), undefined, 'test');
    const report = engine.evaluate(Buffer.from('{}'), 'input') as unknown as { today: number[] };
    const now = new Date();
    expect(report.today).toEqual([now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()]);
  });
});
