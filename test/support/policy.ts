import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBundle } from '../../src/bundle/write.js';
import { loadBundle, type LoadedBundle } from '../../src/evaluate.js';
import type { PolicyReport } from '../../src/model.js';
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

/** The reference engine over many cases in one opa process: the library's own (src/authoring/runner.ts). */
export { nativeReports, type NativeCase } from '../../src/authoring/runner.js';

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
