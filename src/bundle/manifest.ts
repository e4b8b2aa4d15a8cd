import { Ajv, type ErrorObject } from 'ajv';
import semver from 'semver';
import { BundleError } from '../errors.js';
import { canonicalJson, parseJsonLossless } from './hash.js';

/** Bundle paths of the two special files, without the leading `/` that OPA writes. */
export const MANIFEST_PATH = '.manifest';
export const SIGNATURES_PATH = '.signatures.json';
export const WASM_BASENAME = 'policy.wasm';

export interface WasmResolver {
  /** Query path, slash-separated, e.g. `cipa/main/report`. */
  entrypoint: string;
  /** Bundle path of a file named policy.wasm, e.g. `/policy.wasm`. */
  module: string;
  annotations?: unknown[];
}

/** The `.manifest` file (OPA's bundle.Manifest). cipa keeps its own fields under `metadata`. */
export interface Manifest {
  revision: string;
  /** Path prefixes this bundle owns; absent means `[""]` (everything). */
  roots?: string[];
  wasm?: WasmResolver[];
  /** 0 = Rego v0, 1 = v1, 2 = v2 (OPA ≥ 1.22). */
  rego_version?: number;
  file_rego_versions?: Record<string, number>;
  metadata?: Record<string, unknown>;
}

/** cipa's identity of a bundle: `metadata.name` and `metadata.version` (semver) in the manifest. */
export interface BundleIdentity {
  name: string;
  version: string;
}

const manifestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    revision: { type: 'string' },
    roots: { type: 'array', items: { type: 'string' } },
    wasm: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['entrypoint', 'module'],
        properties: {
          entrypoint: { type: 'string', minLength: 1 },
          module: { type: 'string', minLength: 1 },
          annotations: { type: 'array' },
        },
      },
    },
    rego_version: { type: 'integer', enum: [0, 1, 2] },
    file_rego_versions: { type: 'object', additionalProperties: { type: 'integer', enum: [0, 1, 2] } },
    metadata: { type: 'object' },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true });
const validateShape = ajv.compile(manifestSchema);

function describeAjvError(error: ErrorObject | undefined): string {
  if (!error) return 'invalid manifest';
  const where = error.instancePath === '' ? 'manifest' : `manifest${error.instancePath.replace(/\//g, '.')}`;
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return `${where} has unknown field '${extra}' (custom fields belong under metadata)`;
  }
  if (error.keyword === 'enum') return `${where} must be one of ${JSON.stringify(error.params.allowedValues)}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

/** Root paths as OPA compares them: segments split on `/`, `""` meaning everything. */
function segments(path: string): string[] {
  return path === '' ? [] : path.split('/');
}

function isPrefix(prefix: string[], of: string[]): boolean {
  return prefix.length <= of.length && prefix.every((segment, i) => segment === of[i]);
}

/** True if `path` (slash-separated, no leading slash) lies under one of `roots`. */
export function rootsContain(roots: readonly string[], path: string): boolean {
  const target = segments(path);
  return roots.some((root) => isPrefix(segments(root), target));
}

export function effectiveRoots(manifest: Manifest): string[] {
  return manifest.roots ?? [''];
}

/**
 * Checks a decoded manifest: its shape (unknown fields rejected), the roots (well-formed, not overlapping), wasm
 * entrypoints under the roots and used once, and the cipa identity in metadata when present.
 */
export function validateManifest(value: unknown, source: string): Manifest {
  if (!validateShape(value)) {
    throw new BundleError(`${source}: ${describeAjvError(validateShape.errors?.[0])}`);
  }
  const manifest = value as Manifest;
  const roots = effectiveRoots(manifest);
  for (const root of roots) {
    if (root !== '' && (root.startsWith('/') || root.endsWith('/') || root.split('/').some((s) => s === '' || s === '.' || s === '..'))) {
      throw new BundleError(`${source}: manifest root '${root}' is not a clean slash-separated path`);
    }
  }
  for (let i = 0; i < roots.length; i++) {
    for (let j = i + 1; j < roots.length; j++) {
      const a = segments(roots[i]!);
      const b = segments(roots[j]!);
      if (isPrefix(a, b) || isPrefix(b, a)) {
        throw new BundleError(`${source}: manifest has overlapped roots: '${roots[i]}' and '${roots[j]}'`);
      }
    }
  }
  const entrypoints = new Set<string>();
  for (const resolver of manifest.wasm ?? []) {
    const entrypoint = resolver.entrypoint.replace(/^\/+/, '');
    if (!rootsContain(roots, entrypoint)) {
      throw new BundleError(`${source}: manifest roots ${JSON.stringify(roots)} do not permit wasm entrypoint '${resolver.entrypoint}'`);
    }
    if (entrypoints.has(entrypoint)) {
      throw new BundleError(`${source}: wasm entrypoint '${resolver.entrypoint}' is declared more than once`);
    }
    entrypoints.add(entrypoint);
    const base = resolver.module.slice(resolver.module.lastIndexOf('/') + 1);
    if (base !== WASM_BASENAME) {
      throw new BundleError(`${source}: wasm module '${resolver.module}' must be a file named ${WASM_BASENAME}`);
    }
  }
  bundleIdentity(manifest, source);
  return manifest;
}

/** Parses and validates `.manifest` bytes: JSON only, and no UTF-8 BOM (OPA's manifest decoder rejects one). */
export function parseManifest(bytes: Uint8Array, source: string): Manifest {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new BundleError(`${source}: manifest is not valid UTF-8`);
  }
  if (text.startsWith('\ufeff')) throw new BundleError(`${source}: manifest starts with a byte order mark`, 'OPA refuses it');
  parseJsonLossless(text, source);
  const value: unknown = JSON.parse(text);
  const manifest = validateManifest(value, source);
  return { ...manifest, revision: manifest.revision ?? '' };
}

/** Checks the manifest against the files present: every wasm module it names must exist. */
export function checkManifestFiles(manifest: Manifest, paths: Iterable<string>, source: string): void {
  const present = new Set<string>();
  for (const path of paths) present.add(path.replace(/^\/+/, ''));
  for (const resolver of manifest.wasm ?? []) {
    if (!present.has(resolver.module.replace(/^\/+/, ''))) {
      throw new BundleError(`${source}: manifest references wasm module '${resolver.module}' but the module file does not exist`);
    }
  }
}

/** The bytes cipa writes for a manifest: canonical JSON, so the file's bytes are exactly what OPA hashes. */
export function manifestBytes(manifest: Manifest): Buffer {
  validateManifest(manifest, MANIFEST_PATH);
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

const NAME_PATTERN = /^[a-z0-9](?:[a-z0-9._/-]{0,126}[a-z0-9])?$/;

/**
 * The bundle's cipa identity from `metadata.name` / `metadata.version`; undefined when neither is set, an error
 * when they are set but malformed (a name must be lowercase [a-z0-9._/-], a version strict semver).
 */
export function bundleIdentity(manifest: Manifest, source: string): BundleIdentity | undefined {
  const name = manifest.metadata?.name;
  const version = manifest.metadata?.version;
  if (name === undefined && version === undefined) return undefined;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new BundleError(`${source}: manifest metadata.name must be a lowercase bundle name ([a-z0-9._/-]), got ${JSON.stringify(name)}`);
  }
  if (typeof version !== 'string' || semver.valid(version) !== version) {
    throw new BundleError(`${source}: manifest metadata.version must be a semantic version like 1.2.3, got ${JSON.stringify(version)}`);
  }
  return { name, version };
}

export function requireBundleIdentity(manifest: Manifest, source: string): BundleIdentity {
  const identity = bundleIdentity(manifest, source);
  if (!identity) {
    throw new BundleError(`${source}: manifest has no metadata.name and metadata.version`, 'cipa bundles carry their name and semver version in the manifest metadata');
  }
  return identity;
}
