import { base64url, decodeProtectedHeader } from 'jose';
import { bundleIdentity, type BundleIdentity, type Manifest } from '../bundle/manifest.js';
import { readBundleBytes, type Bundle } from '../bundle/read.js';
import { verifyBundle, type VerifyOptions } from '../bundle/verify.js';
import type { ControlMeta } from '../model.js';
import { isPlainObject } from '../policy/data.js';
import { resolveBundleRef } from '../registry/resolve.js';

/** Reads what a bundle reference names: a file, <dir>#<name>@<version|channel>, http(s):// or oci://. */
export async function openBundleRef(ref: string): Promise<{ bundle: Bundle; bytes: Uint8Array; digest: string; source: string }> {
  const resolved = await resolveBundleRef(ref);
  const bundle = await readBundleBytes(resolved.bytes, resolved.source);
  return { bundle, bytes: resolved.bytes, digest: resolved.digest, source: resolved.source };
}

export interface VerifiedBundle {
  source: string;
  digest: string;
  name: string;
  version: string;
  keyId: string;
  algorithm: string;
  scope: string;
  /** Every file the signature covers, each checked against its hash. */
  files: Array<{ name: string; hash: string; algorithm: string }>;
}

/**
 * Verifies a bundle's signature with trusted keys, as OPA would and stricter (src/bundle/verify.ts): one JWT, the
 * key chosen by id with its own algorithm, the scope, every file listed with the right hash and nothing extra or
 * missing, and the signed {name, version} equal to the manifest's. Throws a SignatureError naming the file.
 */
export async function verifyBundleRef(ref: string, options: VerifyOptions): Promise<VerifiedBundle> {
  const { bundle, digest, source } = await openBundleRef(ref);
  const result = await verifyBundle(bundle, { ...options, requireSignature: true });
  const identity = result.identity!;
  return {
    source,
    digest,
    name: identity.name,
    version: identity.version,
    keyId: result.keyId!,
    algorithm: result.algorithm!,
    scope: result.scope ?? '',
    files: result.files.map((f) => ({ name: f.name, hash: f.hash, algorithm: f.algorithm })),
  };
}

export interface SignatureState {
  /** unsigned; signed (not checked: no key given); verified (checked with a trusted key). */
  state: 'unsigned' | 'signed' | 'verified';
  keyId?: string;
  algorithm?: string;
  scope?: string;
  /** The signed cipa claim {name, version}. */
  claim?: BundleIdentity;
  /** Number of files the signature lists. */
  files?: number;
}

export interface InspectedControl {
  id: string;
  severity: string;
  title: string;
  package: string;
  enforced_from?: string;
}

export interface BundleInspection {
  schema: 'cipa.bundle-inspect/v1';
  source: string;
  digest: string;
  size: number;
  identity?: BundleIdentity;
  manifest: Manifest;
  files: Array<{ path: string; size: number }>;
  /** From data.json's catalog (cipa.catalog.controls); empty when the bundle has none. */
  controls: InspectedControl[];
  signature: SignatureState;
}

function decodeSignature(bundle: Bundle): SignatureState {
  const jwt = bundle.signatures?.signatures[0];
  if (jwt === undefined) return { state: 'unsigned' };
  const state: SignatureState = { state: 'signed' };
  try {
    const header = decodeProtectedHeader(jwt);
    if (typeof header.kid === 'string') state.keyId = header.kid;
    if (typeof header.alg === 'string') state.algorithm = header.alg;
    const payload = JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split('.')[1] ?? ''))) as Record<string, unknown>;
    if (state.keyId === undefined && typeof payload.keyid === 'string') state.keyId = payload.keyid;
    if (typeof payload.scope === 'string') state.scope = payload.scope;
    if (Array.isArray(payload.files)) state.files = payload.files.length;
    const claim = payload.cipa as Record<string, unknown> | undefined;
    if (claim && typeof claim.name === 'string' && typeof claim.version === 'string') state.claim = { name: claim.name, version: claim.version };
  } catch {
    // an undecodable signature is still "signed"; verification says what is wrong with it
  }
  return state;
}

function catalogControls(bundle: Bundle): InspectedControl[] {
  const bytes = bundle.files.get('data.json');
  if (bytes === undefined) return [];
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    return [];
  }
  const catalog = (data as { cipa?: { catalog?: { controls?: unknown } } } | null)?.cipa?.catalog?.controls;
  if (!isPlainObject(catalog)) return [];
  return Object.values(catalog as Record<string, ControlMeta>)
    .filter((c) => typeof c?.id === 'string')
    .map((c) => ({ id: c.id, severity: c.severity, title: c.title, package: c.package, ...(c.enforced_from ? { enforced_from: c.enforced_from } : {}) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Manifest, identity, files, controls and signature state of a bundle; verifies the signature when keys are given. */
export async function inspectBundleRef(ref: string, verify?: VerifyOptions): Promise<BundleInspection> {
  const { bundle, bytes, digest, source } = await openBundleRef(ref);
  let signature = decodeSignature(bundle);
  if (verify !== undefined) {
    const result = await verifyBundle(bundle, { ...verify, requireSignature: true });
    signature = { ...signature, state: 'verified', keyId: result.keyId!, algorithm: result.algorithm!, scope: result.scope ?? '' };
  }
  const identity = bundleIdentity(bundle.manifest, source);
  return {
    schema: 'cipa.bundle-inspect/v1',
    source,
    digest,
    size: bytes.byteLength,
    ...(identity ? { identity } : {}),
    manifest: bundle.manifest,
    files: [...bundle.files].map(([path, b]) => ({ path, size: b.byteLength })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    controls: catalogControls(bundle),
    signature,
  };
}

