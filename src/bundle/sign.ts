import { CompactSign } from 'jose';
import { BundleError, SignatureError } from '../errors.js';
import { u8 } from './bytes.js';
import { DEFAULT_HASH_ALGORITHM, hashBundleFile, type HashAlgorithm } from './hash.js';
import { checkKeyAlgorithm, type SigningKey } from './keys.js';
import { MANIFEST_PATH, SIGNATURES_PATH, parseManifest, requireBundleIdentity, type BundleIdentity } from './manifest.js';
import { normalizeBundlePath } from './paths.js';

/**
 * Signs bundles the way OPA does (`.signatures.json` holding one JWS over `{"files": [{name, hash, algorithm}]}`),
 * with cipa's extra claim `cipa: {name, version}` taken from the manifest, so a signature cannot be moved onto
 * another bundle or another version. OPA decodes the payload into a struct and ignores claims it does not know.
 */

/** One entry of the signed `files` list. `name` is the bundle path without a leading `/`. */
export interface FileInfo {
  name: string;
  hash: string;
  algorithm: string;
}

/** The JWT payload: OPA's DecodedSignature fields plus cipa's identity claim. */
export interface SignaturePayload {
  files: FileInfo[];
  keyid?: string;
  scope?: string;
  iat?: number;
  iss?: string;
  cipa?: BundleIdentity;
}

/** The name of cipa's custom claim. */
export const CIPA_CLAIM = 'cipa';

export interface SignOptions {
  key: SigningKey;
  /** Written as the `scope` claim; OPA compares it with signing.scope / keys.<id>.scope. */
  scope?: string;
  hashAlgorithm?: HashAlgorithm;
  /** `iat`, seconds since the epoch; omitted unless given (OPA ignores it, and leaving it out keeps RS/PS/HS signatures reproducible). */
  issuedAt?: number;
  iss?: string;
}

/** Hashes every file except `.signatures.json`, sorted by name. */
export function fileHashes(files: ReadonlyMap<string, Uint8Array>, algorithm: HashAlgorithm = DEFAULT_HASH_ALGORITHM): FileInfo[] {
  const infos: FileInfo[] = [];
  const seen = new Set<string>();
  for (const [name, bytes] of files) {
    const path = normalizeBundlePath(name, 'bundle');
    if (seen.has(path)) throw new BundleError(`bundle: duplicate bundle path '${path}'`);
    seen.add(path);
    if (path === SIGNATURES_PATH) continue;
    infos.push({ name: path, hash: hashBundleFile(path, bytes, algorithm), algorithm });
  }
  return infos.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function manifestOf(files: ReadonlyMap<string, Uint8Array>): Uint8Array | undefined {
  return files.get(MANIFEST_PATH) ?? files.get(`/${MANIFEST_PATH}`);
}

/** Builds the signed payload for a bundle's files (the manifest must carry metadata.name and metadata.version). */
export function signaturePayload(files: ReadonlyMap<string, Uint8Array>, options: Omit<SignOptions, 'key'> & { keyId?: string }): SignaturePayload {
  const manifestBytes = manifestOf(files);
  if (!manifestBytes) {
    throw new BundleError(`bundle: cannot sign a bundle without ${MANIFEST_PATH}`, 'cipa binds signatures to the manifest name and version');
  }
  const identity = requireBundleIdentity(parseManifest(manifestBytes, MANIFEST_PATH), MANIFEST_PATH);
  const payload: SignaturePayload = { files: fileHashes(files, options.hashAlgorithm) };
  if (options.keyId !== undefined) payload.keyid = options.keyId;
  if (options.scope !== undefined) payload.scope = options.scope;
  if (options.issuedAt !== undefined) payload.iat = options.issuedAt;
  if (options.iss !== undefined) payload.iss = options.iss;
  payload.cipa = { name: identity.name, version: identity.version };
  return payload;
}

/** Signs a payload as a compact JWS with header `{alg, kid?, typ: "JWT"}`. */
export async function signPayload(payload: SignaturePayload, key: SigningKey): Promise<string> {
  checkKeyAlgorithm(key.key, key.algorithm, key.id ?? 'signing key');
  const header: { alg: string; typ: string; kid?: string } = { alg: key.algorithm, typ: 'JWT' };
  if (key.id !== undefined) header.kid = key.id;
  try {
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader(header).sign(key.key);
  } catch (error) {
    throw new SignatureError(`cannot sign with ${key.algorithm}${key.id ? ` key ${key.id}` : ''}: ${(error as Error).message}`);
  }
}

/** The `.signatures.json` bytes, laid out as OPA writes them (one-space indent). */
export function signaturesFileBytes(jwt: string): Buffer {
  return Buffer.from(JSON.stringify({ signatures: [jwt] }, null, 1), 'utf8');
}

/** Signs a bundle's files: returns the JWT. */
export async function signFiles(files: ReadonlyMap<string, Uint8Array>, options: SignOptions): Promise<string> {
  const payloadOptions: Omit<SignOptions, 'key'> & { keyId?: string } = { ...options };
  if (options.key.id !== undefined) payloadOptions.keyId = options.key.id;
  return signPayload(signaturePayload(files, payloadOptions), options.key);
}

/** Returns a copy of the files with `.signatures.json` (re)written for them. */
export async function signBundle(files: ReadonlyMap<string, Uint8Array>, options: SignOptions): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const [name, bytes] of files) {
    const path = normalizeBundlePath(name, 'bundle');
    if (path !== SIGNATURES_PATH) out.set(path, bytes);
  }
  out.set(SIGNATURES_PATH, u8(signaturesFileBytes(await signFiles(out, options))));
  return out;
}
