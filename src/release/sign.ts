import { createPublicKey, KeyObject } from 'node:crypto';
import { basename } from 'node:path';
import { isJwsAlgorithm, loadHmacSecret, loadPrivateKey, type JwsAlgorithm, type SigningKey } from '../bundle/keys.js';
import { requireBundleIdentity, SIGNATURES_PATH, type BundleIdentity } from '../bundle/manifest.js';
import { readBundle, readBundleBytes } from '../bundle/read.js';
import { signBundle } from '../bundle/sign.js';
import { verifyBundle } from '../bundle/verify.js';
import { bundleBytes } from '../bundle/write.js';
import { describeFsError, InputError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';

export interface SignFileOptions {
  /** The bundle to sign (.tar.gz). */
  input: string;
  /** Where to write the signed bundle; default: in place. */
  out?: string;
  /** PEM private key (RS/PS/ES)… */
  keyFile?: string;
  /** …or an HMAC secret file (HS*). */
  hmacSecret?: string;
  /** The JWT `kid`; default: the key file's name up to its first dot (release.pem → release). */
  keyId?: string;
  algorithm?: string;
  scope?: string;
}

export interface SignFileResult {
  out: string;
  identity: BundleIdentity;
  keyId: string;
  algorithm: JwsAlgorithm;
  scope?: string;
  /** Files covered by the signature. */
  files: number;
  /** The bundle carried a signature before, which was replaced. */
  replaced: boolean;
}

/** The key id a key file gets when none is given: its name up to the first dot, as src/bundle/keys.ts names public keys. */
export function keyIdFromPath(path: string): string {
  const base = basename(path);
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/**
 * Signs a bundle file: `.signatures.json` (one JWT over every file's hash, with the key id, the scope and cipa's
 * {name, version} claim) is written into the bundle, which is re-packed reproducibly and replaced atomically. The
 * result is verified with the matching public key (or the secret) before anything is written.
 */
export async function signBundleFile(options: SignFileOptions): Promise<SignFileResult> {
  if ((options.keyFile === undefined) === (options.hmacSecret === undefined)) {
    throw new UsageError('give exactly one of --key <private.pem> and --hmac-secret <file>');
  }
  if (options.algorithm !== undefined && !isJwsAlgorithm(options.algorithm)) {
    throw new UsageError(`--alg ${options.algorithm} is not supported`, 'use RS256/384/512, PS256/384/512, ES256/384/512 or HS256/384/512');
  }
  const algorithm = options.algorithm as JwsAlgorithm | undefined;
  const keyPath = (options.keyFile ?? options.hmacSecret)!;
  const keyId = options.keyId ?? keyIdFromPath(keyPath);
  if (keyId === '') throw new UsageError('--key-id must not be empty');
  let signing: SigningKey;
  let verifyKey: KeyObject | Uint8Array;
  if (options.keyFile !== undefined) {
    signing = await loadPrivateKey(options.keyFile, { id: keyId, ...(algorithm ? { algorithm } : {}) });
    verifyKey = createPublicKey(signing.key as KeyObject);
  } else {
    if (algorithm !== undefined && !algorithm.startsWith('HS')) throw new UsageError(`--alg ${algorithm} needs --key, not --hmac-secret`);
    const secret = await loadHmacSecret(options.hmacSecret!, { id: keyId, ...(algorithm ? { algorithm } : {}) });
    signing = { id: keyId, algorithm: secret.algorithm, key: secret.key };
    verifyKey = secret.key;
  }
  const bundle = await readBundle(options.input);
  const identity = requireBundleIdentity(bundle.manifest, options.input);
  const signed = await signBundle(bundle.files, { key: signing, ...(options.scope !== undefined ? { scope: options.scope } : {}) });
  const out = options.out ?? options.input;
  const bytes = bundleBytes(signed, out);
  const check = await verifyBundle(await readBundleBytes(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), out), {
    keys: new Map([[keyId, { id: keyId, algorithm: signing.algorithm, key: verifyKey, ...(options.scope !== undefined ? { scope: options.scope } : {}) }]]),
    keyId,
  });
  try {
    await writeFileAtomic(out, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new InputError(out, `cannot write the signed bundle: ${describeFsError(error)}`);
  }
  const result: SignFileResult = {
    out,
    identity,
    keyId,
    algorithm: signing.algorithm,
    files: check.files.length,
    replaced: bundle.files.has(SIGNATURES_PATH),
  };
  if (options.scope !== undefined) result.scope = options.scope;
  return result;
}
