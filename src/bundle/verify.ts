import { readFile } from 'node:fs/promises';
import { base64url, compactVerify, decodeProtectedHeader } from 'jose';
import semver from 'semver';
import { BundleError, InputError, SignatureError, describeFsError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { STRONG_HASH_ALGORITHMS, hashBundleFile, isHashAlgorithm, type HashAlgorithm } from './hash.js';
import { keyById, type JwsAlgorithm, type KeyRing } from './keys.js';
import { SIGNATURES_PATH, bundleIdentity, type BundleIdentity } from './manifest.js';
import type { Bundle } from './read.js';
import { CIPA_CLAIM, type FileInfo } from './sign.js';

/**
 * Verifies a bundle's signature like OPA (v1/bundle/verify.go), then stricter:
 * - like OPA: exactly one JWT; the key chosen by the configured key id, else the JWT `kid`, else the deprecated
 *   `keyid` claim; the algorithm is the key's, never the token's; `scope` must equal the configured scope (or the
 *   key's); every file in the bundle is listed with a matching hash and nothing listed is missing;
 * - stricter: an unsigned bundle is refused whenever keys are configured; the header `alg` must equal the key's
 *   algorithm; a pinned key id must match a `kid` present in the header; MD5 and SHA-1 file hashes are refused;
 *   hashes must be lowercase hex; a file listed twice is refused; a `plugin` other than OPA's `_default` is refused;
 *   and the `cipa` claim must carry the name and version of the bundle's manifest.
 */

export interface VerifyOptions {
  keys: KeyRing;
  /** Pins the key (OPA's bundles.<b>.signing.keyid). */
  keyId?: string;
  /** Expected scope (OPA's signing.scope); falls back to the key's scope, then to "". */
  scope?: string;
  /** Refuse unsigned bundles; defaults to true when any key is configured. */
  requireSignature?: boolean;
  /** Require the `cipa` claim to match the manifest's name and version; default true. */
  requireIdentity?: boolean;
  /** File hash algorithms accepted; default SHA-224 and stronger. */
  hashAlgorithms?: readonly HashAlgorithm[];
}

export interface VerifyResult {
  signed: boolean;
  keyId?: string;
  algorithm?: JwsAlgorithm;
  scope?: string;
  /** The name and version bound by the signature (when it carries the cipa claim). */
  identity?: BundleIdentity;
  files: FileInfo[];
}

interface Payload {
  files: FileInfo[];
  keyid?: string;
  scope?: string;
  cipa?: unknown;
}

function decodePayload(jwt: string, source: string): Payload {
  const part = jwt.split('.')[1];
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.decode(part ?? '')));
  } catch {
    throw new SignatureError(`${source}: ${SIGNATURES_PATH}: JWT payload is not base64url JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SignatureError(`${source}: ${SIGNATURES_PATH}: JWT payload is not an object`);
  }
  const record = value as Record<string, unknown>;
  const files = record.files;
  if (!Array.isArray(files)) throw new SignatureError(`${source}: ${SIGNATURES_PATH}: JWT payload has no files list`);
  for (const file of files) {
    const f = file as Record<string, unknown> | null;
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || typeof f.hash !== 'string' || (f.algorithm !== undefined && typeof f.algorithm !== 'string')) {
      throw new SignatureError(`${source}: ${SIGNATURES_PATH}: JWT payload files entries must be {name, hash, algorithm} strings`);
    }
  }
  for (const claim of ['keyid', 'scope'] as const) {
    if (record[claim] !== undefined && typeof record[claim] !== 'string') {
      throw new SignatureError(`${source}: ${SIGNATURES_PATH}: JWT claim ${claim} must be a string`);
    }
  }
  return record as unknown as Payload;
}

export async function verifyBundle(bundle: Bundle, options: VerifyOptions): Promise<VerifyResult> {
  const source = bundle.source;
  const requireSignature = options.requireSignature ?? options.keys.size > 0;
  const requireIdentity = options.requireIdentity ?? true;
  const accepted = options.hashAlgorithms ?? STRONG_HASH_ALGORITHMS;

  const sigs = bundle.signatures;
  if (!sigs) {
    if (requireSignature) {
      throw new SignatureError(`${source}: bundle missing ${SIGNATURES_PATH} file`, 'verification keys are configured, so the bundle must be signed');
    }
    return { signed: false, files: [] };
  }
  // opa build writes "plugin": "_default", stock OPA's own verifier; any other value selects a custom one.
  if (sigs.plugin !== undefined && sigs.plugin !== '' && sigs.plugin !== '_default') {
    throw new SignatureError(`${source}: ${SIGNATURES_PATH}: signature plugin '${sigs.plugin}' is not supported`);
  }
  if (sigs.signatures.length === 0) throw new SignatureError(`${source}: ${SIGNATURES_PATH}: missing JWT (expected exactly one)`);
  if (sigs.signatures.length > 1) throw new SignatureError(`${source}: ${SIGNATURES_PATH}: multiple JWTs not supported (expected exactly one)`);
  if (options.keys.size === 0) throw new SignatureError(`${source}: verification key not provided`, 'the bundle is signed; give the key that signed it');
  const jwt = sigs.signatures[0]!;
  if (jwt.split('.').length !== 3) throw new SignatureError(`${source}: ${SIGNATURES_PATH}: not a compact JWS`);

  let header: { alg?: unknown; kid?: unknown; crit?: unknown };
  try {
    header = decodeProtectedHeader(jwt);
  } catch (error) {
    throw new SignatureError(`${source}: ${SIGNATURES_PATH}: invalid JWT header: ${(error as Error).message}`);
  }
  const payload = decodePayload(jwt, source);
  const headerKid = typeof header.kid === 'string' && header.kid !== '' ? header.kid : undefined;
  if (options.keyId !== undefined && headerKid !== undefined && headerKid !== options.keyId) {
    throw new SignatureError(`${source}: signed with key '${headerKid}', but key '${options.keyId}' is required`);
  }
  const keyId = options.keyId || headerKid || payload.keyid || '';
  if (keyId === '') throw new SignatureError(`${source}: verification key ID is empty`, 'the JWT has no kid; pin the key id to use');
  const key = keyById(options.keys, keyId, source);
  if (header.alg !== key.algorithm) {
    throw new SignatureError(`${source}: JWT algorithm ${String(header.alg)} does not match key '${keyId}' (${key.algorithm})`);
  }
  try {
    await compactVerify(jwt, key.key, { algorithms: [key.algorithm] });
  } catch (error) {
    throw new SignatureError(`${source}: failed to verify JWT signature with key '${keyId}': ${(error as Error).message}`);
  }

  const expectedScope = options.scope ?? key.scope ?? '';
  if ((payload.scope ?? '') !== expectedScope) {
    throw new SignatureError(`${source}: scope mismatch (signed ${JSON.stringify(payload.scope ?? '')}, expected ${JSON.stringify(expectedScope)})`);
  }

  const listed = new Map<string, FileInfo>();
  for (const file of payload.files) {
    if (listed.has(file.name)) throw new SignatureError(`${source}: file ${file.name} is listed twice in the bundle signature`);
    listed.set(file.name, file);
  }
  for (const [path, bytes] of bundle.files) {
    if (path === SIGNATURES_PATH) continue;
    const info = listed.get(path);
    if (!info) throw new SignatureError(`${source}: file ${path} not included in bundle signature`);
    if (!info.algorithm) throw new SignatureError(`${source}: no hashing algorithm provided for file ${path}`);
    if (!isHashAlgorithm(info.algorithm)) throw new SignatureError(`${source}: unsupported hashing algorithm: ${info.algorithm}`);
    if (!accepted.includes(info.algorithm)) {
      throw new SignatureError(`${source}: file ${path} is hashed with ${info.algorithm}, which cipa does not accept`, `accepted: ${accepted.join(', ')}`);
    }
    if (!/^[0-9a-f]+$/.test(info.hash)) throw new SignatureError(`${source}: ${path}: signed hash is not lowercase hex`);
    let actual: string;
    try {
      actual = hashBundleFile(path, bytes, info.algorithm);
    } catch (error) {
      if (error instanceof BundleError) throw new SignatureError(error.message);
      throw error;
    }
    if (actual !== info.hash) throw new SignatureError(`${source}: ${path}: digest mismatch (want: ${info.hash}, got: ${actual})`);
    listed.delete(path);
  }
  if (listed.size > 0) {
    throw new SignatureError(`${source}: file(s) [${[...listed.keys()].join(' ')}] specified in bundle signatures but not found in the target bundle`);
  }

  const result: VerifyResult = { signed: true, keyId, algorithm: key.algorithm, scope: payload.scope ?? '', files: payload.files };
  const claim = payload.cipa;
  const manifestIdentity = bundleIdentity(bundle.manifest, source);
  if (claim !== undefined) {
    const c = claim as Record<string, unknown> | null;
    if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || typeof c.version !== 'string') {
      throw new SignatureError(`${source}: JWT claim ${CIPA_CLAIM} must be {name, version}`);
    }
    if (!manifestIdentity || manifestIdentity.name !== c.name || manifestIdentity.version !== c.version) {
      throw new SignatureError(
        `${source}: signature is for bundle ${c.name}@${c.version}, but the manifest says ${manifestIdentity ? `${manifestIdentity.name}@${manifestIdentity.version}` : 'no name and version'}`,
      );
    }
    result.identity = { name: c.name, version: c.version };
  } else if (requireIdentity) {
    throw new SignatureError(`${source}: signature carries no ${CIPA_CLAIM} claim binding it to a bundle name and version`, 'sign the bundle with cipa, or add the claim with opa --claims-file');
  }
  return result;
}

/** The state file of accepted versions: `{"schema": "cipa.bundle-versions/v1", "bundles": {name: version}}`. */
interface VersionState {
  schema: 'cipa.bundle-versions/v1';
  bundles: Record<string, string>;
}

async function readState(stateFile: string): Promise<VersionState> {
  let text: string;
  try {
    text = await readFile(stateFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schema: 'cipa.bundle-versions/v1', bundles: {} };
    throw new InputError(stateFile, `cannot read version state: ${describeFsError(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(stateFile, `version state is not valid JSON: ${(error as Error).message}`);
  }
  const state = value as Partial<VersionState> | null;
  if (
    typeof state !== 'object' ||
    state === null ||
    state.schema !== 'cipa.bundle-versions/v1' ||
    typeof state.bundles !== 'object' ||
    state.bundles === null ||
    !Object.values(state.bundles).every((v) => typeof v === 'string' && semver.valid(v) === v)
  ) {
    throw new InputError(stateFile, 'is not a cipa.bundle-versions/v1 state file');
  }
  return { schema: 'cipa.bundle-versions/v1', bundles: { ...state.bundles } };
}

export interface DowngradeCheck {
  /** The highest version accepted before, if any. */
  previous?: string;
  /** True when `version` became the new highest and was written to the state file. */
  recorded: boolean;
}

/**
 * Rollback protection: refuses `version` of bundle `name` when a higher version was accepted before (remembered in
 * `stateFile`), unless `allowDowngrade`; records `version` when it is higher than anything seen. The same version
 * again is accepted. Writes are atomic; concurrent writers are not coordinated (last write wins).
 */
export async function checkNotDowngrade(
  name: string,
  version: string,
  stateFile: string,
  options: { allowDowngrade?: boolean } = {},
): Promise<DowngradeCheck> {
  if (semver.valid(version) !== version) throw new BundleError(`${name}: version ${JSON.stringify(version)} is not a semantic version`);
  const state = await readState(stateFile);
  const previous = Object.prototype.hasOwnProperty.call(state.bundles, name) ? state.bundles[name] : undefined;
  if (previous !== undefined && semver.lt(version, previous)) {
    if (!options.allowDowngrade) {
      throw new SignatureError(`${name}@${version} is older than ${previous}, already accepted (${stateFile}): refusing a downgrade`, 'pass allowDowngrade to roll back on purpose');
    }
    return { previous, recorded: false };
  }
  if (previous !== undefined && semver.eq(version, previous)) return { previous, recorded: false };
  state.bundles[name] = version;
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(state.bundles).sort()) sorted[key] = state.bundles[key]!;
  try {
    await writeFileAtomic(stateFile, `${JSON.stringify({ schema: state.schema, bundles: sorted }, null, 2)}\n`);
  } catch (error) {
    throw new InputError(stateFile, `cannot write version state: ${describeFsError(error)}`);
  }
  return previous === undefined ? { recorded: true } : { previous, recorded: true };
}
