import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../../src/bundle/write.js';
import { loadBundle, type LoadedBundle } from '../../src/evaluate.js';
import type { PolicyReport } from '../../src/model.js';
import { runOpaOrThrow } from '../../src/opa/run.js';
import { packageRoot } from '../../src/paths.js';
import { buildBundle, type BuiltBundle } from '../../src/policy/build.js';
import { readBundleDefinition } from '../../src/policy/definition.js';

export interface TestBundle {
  path: string;
  built: BuiltBundle;
}

let cached: Promise<TestBundle> | undefined;

/** The built-in bundle, built fresh from rego/ with the pinned opa (once per test worker). */
export function bundleFromRego(): Promise<TestBundle> {
  cached ??= (async () => {
    const definition = await readBundleDefinition(join(packageRoot(), 'bundles', 'cipa.yaml'));
    const built = await buildBundle({ definition });
    const dir = await mkdtemp(join(tmpdir(), 'cipa-test-bundle-'));
    const path = join(dir, 'cipa.tar.gz');
    await writeBundle(built.files, path);
    return { path, built };
  })();
  return cached;
}

export async function wasmBundle(bundle: TestBundle, settings?: unknown): Promise<LoadedBundle> {
  return loadBundle(bundle.built.bytes, bundle.path, settings === undefined ? {} : { settings: [settings] });
}

export interface NativeCase {
  name: string;
  /** The raw plan, exactly as the file has it (native OPA is never given the slimmed input). */
  input: unknown;
  settings?: unknown;
}

/**
 * Decisions of the reference engine: native `opa eval` of the same bundle's Rego, one process for many cases
 * (each evaluated `with input as` its plan and `with data.cipa.settings` as the merged settings).
 */
export async function nativeReports(bundlePath: string, cases: NativeCase[]): Promise<Map<string, PolicyReport>> {
  const dir = await mkdtemp(join(tmpdir(), 'cipa-native-'));
  const inputFile = join(dir, 'cases.json');
  const payload = Object.fromEntries(cases.map((c) => [c.name, { input: c.input, settings: c.settings ?? {} }]));
  await writeFile(inputFile, JSON.stringify({ cases: payload }));
  // One result row per case. (Inside a comprehension, `with input as c.input` would re-read c from the
  // replaced input, so the iteration stays at the query's top level.)
  const query =
    'some name, c in input.cases; settings := object.union(object.get(data.cipa, "settings", {}), c.settings); ' +
    'report := data.cipa.main.report with input as c.input with data.cipa.settings as settings';
  const out = await runOpaOrThrow(['eval', '-b', bundlePath, '-i', inputFile, '-f', 'json', query], 'opa eval');
  const parsed = JSON.parse(out) as { result?: Array<{ bindings: { name: string; report: PolicyReport } }> };
  const reports = new Map((parsed.result ?? []).map((row) => [row.bindings.name, row.bindings.report] as const));
  const missing = cases.filter((c) => !reports.has(c.name)).map((c) => c.name);
  if (missing.length > 0) throw new Error(`opa eval returned no report for ${missing.join(', ')}: ${out.slice(0, 300)}`);
  return reports;
}

/** Decisions as a sorted, comparable list of "control resource status". */
export function decisionKeys(report: PolicyReport, control?: string): string[] {
  return report.decisions
    .filter((d) => control === undefined || d.control === control)
    .map((d) => `${d.control} ${d.resource} ${d.status}`)
    .sort();
}

export async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}
