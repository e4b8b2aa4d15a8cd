import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { bundleBytes } from '../bundle/write.js';
import { manifestBytes, type Manifest } from '../bundle/manifest.js';
import { describeFsError, InputError, UsageError } from '../errors.js';
import type { ControlMeta } from '../model.js';
import semver from 'semver';
import { catalogProblemsError, readCatalog } from './catalog.js';
import { compileWasm, ENTRYPOINT } from './compile.js';
import { atPath, deepMerge, stableJson } from './data.js';
import { parseDataText } from './datafile.js';
import type { BundleDefinition } from './definition.js';
import { readSettingsFile } from './settings.js';

export interface BuildOptions {
  definition: BundleDefinition;
  /** Overrides the definition's version. */
  version?: string;
  /** More settings files, merged after the definition's own. */
  dataFiles?: string[];
  /**
   * Also declare policy.wasm as the entrypoint's resolver in the manifest. Off by default: OPA builds without a
   * Wasm engine (static binaries, `go install` builds) refuse such bundles ("engine not found"), and without it
   * every OPA evaluates the Rego sources natively, an independent check of the decisions cipa makes in Wasm.
   */
  declareWasm?: boolean;
}

export interface BuiltBundle {
  bytes: Buffer;
  files: Map<string, Uint8Array>;
  manifest: Manifest;
  controls: ControlMeta[];
}

const ROOT = 'cipa';

/**
 * Builds a standard OPA bundle from policy directories: the Rego sources (tests excluded), policy.wasm with the
 * aggregated entrypoint, one data.json (the policy tree's data files, the control catalog from METADATA, and the
 * organisation's settings), and a .manifest naming the bundle and its version. Same inputs, same bytes.
 */
export async function buildBundle(options: BuildOptions): Promise<BuiltBundle> {
  const { definition } = options;
  const version = options.version ?? definition.version;
  if (!semver.valid(version)) throw new UsageError(`--version ${version} is not semver`, 'use e.g. 1.4.2');
  const files = new Map<string, Uint8Array>();
  let data: unknown = {};
  for (const dir of definition.policy) {
    for (const file of await listFiles(dir)) {
      const path = relative(dir, file).split(sep).join('/');
      if (path.endsWith('.rego') && !path.endsWith('_test.rego')) {
        if (files.has(path)) throw new InputError(file, `${path} is also provided by another policy directory`);
        files.set(path, await readFile(file));
      } else if (/(^|\/)data\.(json|ya?ml)$/.test(path)) {
        const value = parseDataText(file, await readFile(file, 'utf8'));
        data = deepMerge(data, atPath(path.replace(/(^|\/)data\.(json|ya?ml)$/, ''), value));
      }
    }
  }
  if (![...files.keys()].some((p) => p.startsWith(`${ROOT}/`))) {
    throw new InputError(definition.file, `no Rego under ${ROOT}/ in ${definition.policy.join(', ')}`);
  }
  for (const file of [...definition.data, ...(options.dataFiles ?? [])]) {
    const override = await readSettingsFile(file);
    data = deepMerge(data, { [ROOT]: { settings: override } });
  }

  const catalogs = await Promise.all(definition.policy.map((dir) => readCatalog(dir)));
  const problems = catalogs.flatMap((c) => c.problems);
  if (problems.length > 0) throw catalogProblemsError(problems);
  const controls = catalogs.flatMap((c) => c.controls).sort((a, b) => a.id.localeCompare(b.id));
  const ids = new Set<string>();
  for (const control of controls) {
    if (ids.has(control.id)) throw new InputError(control.file, `control id ${control.id} is defined twice`);
    ids.add(control.id);
  }
  const catalog = Object.fromEntries(controls.map((c) => [c.package, c]));
  data = deepMerge(data, { [ROOT]: { catalog: { controls: catalog } } });

  files.set('policy.wasm', await compileWasm(definition.policy));
  files.set('data.json', Buffer.from(`${stableJson(data)}\n`));

  const controlsDigest = sha256(stableJson(controls));
  const manifest: Manifest = {
    revision: `${version}+${contentDigest(files).slice(0, 16)}`,
    roots: [ROOT],
    rego_version: 1,
    metadata: {
      name: definition.name,
      version,
      controls: controls.length,
      controls_digest: `sha256:${controlsDigest}`,
      wasm_entrypoint: ENTRYPOINT,
    },
  };
  if (options.declareWasm) manifest.wasm = [{ entrypoint: ENTRYPOINT, module: '/policy.wasm' }];
  files.set('.manifest', manifestBytes(manifest));
  return { bytes: bundleBytes(files), files, manifest, controls };
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (error) {
    throw new InputError(dir, describeFsError(error));
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

function contentDigest(files: Map<string, Uint8Array>): string {
  const hash = createHash('sha256');
  for (const path of [...files.keys()].sort()) hash.update(`${path}\0${sha256(files.get(path)!)}\n`);
  return hash.digest('hex');
}
