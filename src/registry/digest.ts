import { createHash } from 'node:crypto';
import { RegistryError } from './errors.js';

/** A content digest as OCI writes it: `sha256:<64 lowercase hex>`. */
export type Digest = `sha256:${string}`;

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function sha256Digest(bytes: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST.test(value);
}

/** The 64 hex characters of a digest. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

export function parseDigest(value: string, where: string): Digest {
  if (!isDigest(value)) throw new RegistryError(`${where}: not a sha256 digest: ${JSON.stringify(value)}`);
  return value;
}
