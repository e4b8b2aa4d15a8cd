import { KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { importJWK, type JWK } from 'jose';
import { InputError, SignatureError, describeFsError } from '../errors.js';

/**
 * Keys for bundle signing and verification. A verification key has an id (the JWT `kid` that selects it, for
 * rotation), the one JWS algorithm it may be used with (the verifier chooses the algorithm, never the token), and an
 * optional scope. Asymmetric keys are node:crypto KeyObjects parsed from PEM or imported from JWK with jose; HMAC
 * secrets are raw bytes, used exactly as OPA uses them (the file's bytes, not base64-decoded, not trimmed).
 */

export const JWS_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
] as const;
export type JwsAlgorithm = (typeof JWS_ALGORITHMS)[number];

export function isJwsAlgorithm(name: string): name is JwsAlgorithm {
  return (JWS_ALGORITHMS as readonly string[]).includes(name);
}

export type KeyMaterial = KeyObject | Uint8Array;

export interface VerificationKey {
  id: string;
  algorithm: JwsAlgorithm;
  /** Public KeyObject for RS/PS/ES, secret bytes for HS. */
  key: KeyMaterial;
  /** Expected `scope` claim when the verifier does not set one (OPA's keys.<id>.scope). */
  scope?: string;
}

export interface SigningKey {
  /** Written as the JWT `kid` (and OPA's deprecated `keyid` claim) when set. */
  id?: string;
  algorithm: JwsAlgorithm;
  /** Private KeyObject for RS/PS/ES, secret bytes for HS. */
  key: KeyMaterial;
}

/** Trusted verification keys by id. */
export type KeyRing = Map<string, VerificationKey>;

export interface KeyOptions {
  id?: string;
  algorithm?: JwsAlgorithm;
  scope?: string;
}

const CURVE_ALGORITHM: Record<string, JwsAlgorithm> = {
  prime256v1: 'ES256',
  'P-256': 'ES256',
  secp384r1: 'ES384',
  'P-384': 'ES384',
  secp521r1: 'ES512',
  'P-521': 'ES512',
};

const MIN_RSA_BITS = 2048;

/** The algorithm a key implies when none is given: RS256 for RSA, ES256/384/512 by curve, HS256 for secrets. */
export function defaultAlgorithm(key: KeyMaterial, source: string): JwsAlgorithm {
  if (!(key instanceof KeyObject)) return 'HS256';
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec') {
    const alg = CURVE_ALGORITHM[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return alg;
    throw new InputError(source, `unsupported EC curve ${key.asymmetricKeyDetails?.namedCurve ?? '(unknown)'}`, 'use P-256, P-384 or P-521');
  }
  throw new InputError(source, `unsupported key type ${key.asymmetricKeyType ?? key.type}`, 'use an RSA or EC (P-256/384/521) key, or an HMAC secret');
}

/** Checks that a key can be used with an algorithm (an RSA key for RS/PS of ≥2048 bits, the matching EC curve, a secret for HS). */
export function checkKeyAlgorithm(key: KeyMaterial, algorithm: JwsAlgorithm, source: string): void {
  const family = algorithm.slice(0, 2);
  if (family === 'HS') {
    if (key instanceof KeyObject) throw new InputError(source, `${algorithm} needs an HMAC secret, not a ${key.asymmetricKeyType ?? 'secret'} key`);
    if (key.length === 0) throw new InputError(source, 'HMAC secret is empty');
    return;
  }
  if (!(key instanceof KeyObject)) throw new InputError(source, `${algorithm} needs a PEM or JWK key, not an HMAC secret`);
  if (family === 'RS' || family === 'PS') {
    if (key.asymmetricKeyType !== 'rsa') throw new InputError(source, `${algorithm} needs an RSA key, not ${key.asymmetricKeyType ?? 'this key'}`);
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) throw new InputError(source, `RSA key has ${bits} bits, fewer than ${MIN_RSA_BITS}`);
    return;
  }
  if (key.asymmetricKeyType !== 'ec' || CURVE_ALGORITHM[key.asymmetricKeyDetails?.namedCurve ?? ''] !== algorithm) {
    throw new InputError(source, `${algorithm} needs an EC key on curve ${{ ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[algorithm as 'ES256']}`);
  }
}

async function readKeyFile(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new InputError(path, `cannot read key: ${describeFsError(error)}`);
  }
}

function idFromPath(path: string): string {
  const base = basename(path);
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Parses PEM text as a public key (PKIX `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY`, or a certificate). */
export function parsePublicKeyPem(pem: string | Buffer, source: string): KeyObject {
  const text = pem.toString();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    throw new InputError(source, 'is a private key; a verification key must be the public key', 'derive it with `openssl pkey -in key.pem -pubout`');
  }
  try {
    return createPublicKey({ key: text, format: 'pem' });
  } catch (error) {
    throw new InputError(source, `not a PEM public key: ${(error as Error).message}`);
  }
}

/** Parses PEM text as a private key (PKCS#8 `PRIVATE KEY`, PKCS#1 `RSA PRIVATE KEY`, SEC1 `EC PRIVATE KEY`). */
export function parsePrivateKeyPem(pem: string | Buffer, source: string): KeyObject {
  try {
    return createPrivateKey({ key: pem.toString(), format: 'pem' });
  } catch (error) {
    throw new InputError(source, `not an unencrypted PEM private key: ${(error as Error).message}`);
  }
}

function verificationKey(key: KeyMaterial, options: KeyOptions, fallbackId: string, source: string): VerificationKey {
  const algorithm = options.algorithm ?? defaultAlgorithm(key, source);
  checkKeyAlgorithm(key, algorithm, source);
  const result: VerificationKey = { id: options.id ?? fallbackId, algorithm, key };
  if (options.scope !== undefined) result.scope = options.scope;
  return result;
}

/** Loads a PEM public key as a verification key (id defaults to the file name up to its first dot). */
export async function loadPublicKey(path: string, options: KeyOptions = {}): Promise<VerificationKey> {
  return verificationKey(parsePublicKeyPem(await readKeyFile(path), path), options, idFromPath(path), path);
}

/** Loads a PEM private key for signing. */
export async function loadPrivateKey(path: string, options: Omit<KeyOptions, 'scope'> = {}): Promise<SigningKey> {
  const key = parsePrivateKeyPem(await readKeyFile(path), path);
  const algorithm = options.algorithm ?? defaultAlgorithm(key, path);
  checkKeyAlgorithm(key, algorithm, path);
  return options.id === undefined ? { algorithm, key } : { id: options.id, algorithm, key };
}

/** Loads an HMAC secret (the file's exact bytes, as OPA uses them) for signing and verifying. */
export async function loadHmacSecret(path: string, options: KeyOptions = {}): Promise<VerificationKey> {
  const secret = new Uint8Array(await readKeyFile(path));
  return verificationKey(secret, { ...options, algorithm: options.algorithm ?? 'HS256' }, idFromPath(path), path);
}

/** A ring of verification keys; ids must be unique. */
export function keyRing(keys: Iterable<VerificationKey>, source = 'keys'): KeyRing {
  const ring: KeyRing = new Map();
  for (const key of keys) {
    if (key.id === '') throw new InputError(source, 'a key has an empty id');
    if (ring.has(key.id)) throw new InputError(source, `key id '${key.id}' is defined more than once`);
    ring.set(key.id, key);
  }
  return ring;
}

/**
 * Loads a directory of trusted keys, one per file, the key id being the file name up to its first dot:
 * `<id>.pem` (a PEM public key, algorithm from the key), `<id>.<ALG>.pem` (e.g. `release.PS256.pem`),
 * `<id>.hmac` / `<id>.<HS…>.hmac` (an HMAC secret), `<name>.jwks.json` (a JWKS). Hidden files are skipped; any
 * other file is an error, so that a misnamed key is never silently ignored.
 */
export async function loadKeyDirectory(dir: string): Promise<KeyRing> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    throw new InputError(dir, `cannot read key directory: ${describeFsError(error)}`);
  }
  const keys: VerificationKey[] = [];
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    if (name.endsWith('.jwks.json')) {
      keys.push(...(await loadJwks(path)).values());
      continue;
    }
    const match = /^([^.]+)(?:\.([A-Z]{2}\d{3}))?\.(pem|hmac)$/.exec(name);
    if (!match) throw new InputError(path, 'is not a key file', 'name keys <id>.pem, <id>.<ALG>.pem, <id>.hmac or <name>.jwks.json');
    const [, id, alg, kind] = match as unknown as [string, string, string | undefined, string];
    if (alg !== undefined && !isJwsAlgorithm(alg)) throw new InputError(path, `unknown signing algorithm ${alg}`);
    const options: KeyOptions = alg === undefined ? { id } : { id, algorithm: alg as JwsAlgorithm };
    keys.push(kind === 'pem' ? await loadPublicKey(path, options) : await loadHmacSecret(path, options));
  }
  if (keys.length === 0) throw new InputError(dir, 'contains no keys');
  return keyRing(keys, dir);
}

/**
 * Loads a JWKS (`{"keys": [...]}`) of public keys (RSA, EC) or `oct` secrets. Every key needs a `kid`; `alg` is
 * taken from the JWK or defaults from the key. Private JWKs are refused: a trust store holds public keys only.
 */
export async function loadJwks(path: string): Promise<KeyRing> {
  let parsed: unknown;
  try {
    parsed = JSON.parse((await readKeyFile(path)).toString('utf8'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, `not valid JSON: ${(error as Error).message}`);
  }
  const list = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list) || list.length === 0) throw new InputError(path, 'is not a JWKS (expected {"keys": [...]} with at least one key)');
  const keys: VerificationKey[] = [];
  for (const [index, raw] of list.entries()) {
    const where = `${path}: keys[${index}]`;
    const jwk = raw as JWK;
    if (typeof jwk !== 'object' || jwk === null) throw new InputError(where, 'is not an object');
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new InputError(where, 'has no kid');
    if (jwk.kty !== 'oct' && jwk.d !== undefined) throw new InputError(where, `(${jwk.kid}) is a private key; a JWKS for verification holds public keys`);
    if (jwk.alg !== undefined && !isJwsAlgorithm(jwk.alg)) throw new InputError(where, `(${jwk.kid}) has unsupported alg ${jwk.alg}`);
    let material: KeyMaterial;
    try {
      if (jwk.kty === 'oct') {
        const imported = await importJWK({ ...jwk, ext: true }, jwk.alg ?? 'HS256');
        material = imported instanceof Uint8Array ? imported : new Uint8Array(KeyObject.from(imported).export());
      } else if (jwk.kty === 'RSA' || jwk.kty === 'EC') {
        const alg = jwk.alg ?? (jwk.kty === 'RSA' ? 'RS256' : CURVE_ALGORITHM[jwk.crv ?? '']);
        if (alg === undefined) throw new Error(`unsupported curve ${jwk.crv ?? '(none)'}`);
        const imported = await importJWK({ ...jwk, ext: true }, alg);
        material = imported instanceof Uint8Array ? imported : KeyObject.from(imported);
      } else {
        throw new Error(`unsupported kty ${jwk.kty}`);
      }
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(where, `(${jwk.kid}) cannot be imported: ${(error as Error).message}`);
    }
    const options: KeyOptions = jwk.alg === undefined ? { id: jwk.kid } : { id: jwk.kid, algorithm: jwk.alg as JwsAlgorithm };
    keys.push(verificationKey(material, options, jwk.kid, where));
  }
  return keyRing(keys, path);
}

/** Looks a key up by id, with OPA's message when it is missing. */
export function keyById(ring: KeyRing, id: string, source: string): VerificationKey {
  const key = ring.get(id);
  if (!key) {
    throw new SignatureError(`${source}: verification key corresponding to ID ${id} not found`, `trusted key ids: ${[...ring.keys()].join(', ') || '(none)'}`);
  }
  return key;
}
