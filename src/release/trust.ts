import { keyRing, loadHmacSecret, loadJwks, loadKeyDirectory, loadPublicKey, type JwsAlgorithm, type KeyRing, type VerificationKey } from '../bundle/keys.js';
import type { VerifyOptions } from '../bundle/verify.js';
import { UsageError } from '../errors.js';

/** Trusted keys as the release commands take them from flags (the same rules as `cipa eval`). */
export interface TrustFlags {
  /** PEM public keys (RS/PS/ES); each key's id is its file name up to the first dot unless keyId pins a single one. */
  keyFiles?: string[];
  /** HMAC secret files (HS*), id from the file name likewise. */
  secretFiles?: string[];
  /** A directory of keys or a JWKS file. */
  keySet?: string;
  keyId?: string;
  scope?: string;
  /**
   * The algorithm the --key / --hmac-secret keys are used with (OPA's keys.<id>.algorithm). Default: from the key,
   * RS256 for RSA, ES256/384/512 by curve, HS256 for a secret. The token's own `alg` is never trusted.
   */
  algorithm?: JwsAlgorithm;
}

export function hasTrust(flags: TrustFlags): boolean {
  return (flags.keyFiles?.length ?? 0) + (flags.secretFiles?.length ?? 0) > 0 || flags.keySet !== undefined;
}

/** Loads the key ring; a single key file takes the pinned key id as its own. */
export async function loadTrust(flags: TrustFlags): Promise<KeyRing> {
  const keys: VerificationKey[] = [];
  const single = (flags.keyFiles?.length ?? 0) + (flags.secretFiles?.length ?? 0) === 1;
  const options = () => ({
    ...(flags.scope ? { scope: flags.scope } : {}),
    ...(flags.keyId && single ? { id: flags.keyId } : {}),
    ...(flags.algorithm ? { algorithm: flags.algorithm } : {}),
  });
  for (const file of flags.keyFiles ?? []) keys.push(await loadPublicKey(file, options()));
  for (const file of flags.secretFiles ?? []) keys.push(await loadHmacSecret(file, options()));
  let ring = keyRing(keys);
  if (flags.keySet) {
    const set = /\.json$/i.test(flags.keySet) ? await loadJwks(flags.keySet) : await loadKeyDirectory(flags.keySet);
    ring = keyRing([...ring.values(), ...set.values()], flags.keySet);
  }
  return ring;
}

/** Verification options from flags; a usage error when no key is given and `required`. */
export async function verifyOptions(flags: TrustFlags, required: true): Promise<VerifyOptions>;
export async function verifyOptions(flags: TrustFlags, required: boolean): Promise<VerifyOptions | undefined>;
export async function verifyOptions(flags: TrustFlags, required: boolean): Promise<VerifyOptions | undefined> {
  if (!hasTrust(flags)) {
    if (required) throw new UsageError('no verification key given', 'pass --key <public.pem>, --keys <dir or JWKS> or --hmac-secret <file>');
    return undefined;
  }
  const keys = await loadTrust(flags);
  return { keys, ...(flags.keyId ? { keyId: flags.keyId } : {}), ...(flags.scope !== undefined ? { scope: flags.scope } : {}) };
}
