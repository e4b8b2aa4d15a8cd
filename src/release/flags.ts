import { Args, Flags } from '@oclif/core';
import { JWS_ALGORITHMS, type JwsAlgorithm } from '../bundle/keys.js';
import type { TrustFlags } from './trust.js';

/** The trust flags every release command shares (the same names and meaning as in `cipa eval`). */
export const trustFlags = {
  key: Flags.string({ description: 'PEM public key trusted to sign the bundle; its id is the file name up to the first dot (repeatable)', multiple: true }),
  keys: Flags.string({ description: 'a directory of trusted keys (<id>.pem, <id>.<ALG>.pem, <id>.hmac) or a JWKS file' }),
  'hmac-secret': Flags.string({ description: 'file holding a trusted HMAC secret (HS256/384/512; its exact bytes, as OPA uses them) (repeatable)', multiple: true }),
  'key-id': Flags.string({ description: 'the key id that must have signed the bundle (OPA\'s signing.keyid)' }),
  scope: Flags.string({ description: 'the scope the signature must carry (OPA\'s signing.scope)' }),
  alg: Flags.string({ description: 'the algorithm --key / --hmac-secret keys verify with (OPA\'s keys.<id>.algorithm) [default: from the key: RS256 for RSA, ES* by curve, HS256]', options: [...JWS_ALGORITHMS] }),
};

export function trustFromFlags(flags: { key?: string[]; keys?: string; 'hmac-secret'?: string[]; 'key-id'?: string; scope?: string; alg?: string }): TrustFlags {
  return {
    ...(flags.alg ? { algorithm: flags.alg as JwsAlgorithm } : {}),
    ...(flags.key ? { keyFiles: flags.key } : {}),
    ...(flags['hmac-secret'] ? { secretFiles: flags['hmac-secret'] } : {}),
    ...(flags.keys ? { keySet: flags.keys } : {}),
    ...(flags['key-id'] ? { keyId: flags['key-id'] } : {}),
    ...(flags.scope !== undefined ? { scope: flags.scope } : {}),
  };
}

/** The bundle a release command reads, by any reference `--bundle` accepts. */
export const bundleRefArg = Args.string({ description: 'the bundle: a file, <dir>#<name>@<version|channel>, http(s):// or oci://', required: true });

/** The day `enforced_from` dates are compared with, for the commands that apply the semver policy. */
export const todayFlag = Flags.string({ description: 'the date enforced_from is compared with (YYYY-MM-DD) [default: today, UTC]' });

export const formatFlag = Flags.string({ char: 'f', description: 'output format', options: ['text', 'json'], default: 'text' });

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
