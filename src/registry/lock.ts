import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/atomic.js';
import { describeFsError } from '../errors.js';
import { type Digest, isDigest } from './digest.js';
import { RegistryError } from './errors.js';

/**
 * `cipa.lock`: pins bundle references to the digest they resolved to.
 *
 *   { "lockfileVersion": 1,
 *     "bundles": { "oci://ghcr.io/org/policy:1.4.2": { "digest": "sha256:…", "source": "oci://ghcr.io/org/policy@sha256:…" } } }
 *
 * Keys are references exactly as written in the configuration; `source` records where the bytes came from.
 */
export interface LockEntry {
  digest: Digest;
  source?: string;
}

export interface Lockfile {
  lockfileVersion: 1;
  bundles: Record<string, LockEntry>;
}

export const emptyLockfile = (): Lockfile => ({ lockfileVersion: 1, bundles: {} });

/** Reads a lockfile; a missing one is empty. */
export async function readLockfile(path: string): Promise<Lockfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyLockfile();
    throw new RegistryError(`${path}: ${describeFsError(error)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RegistryError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const lock = value as Partial<Lockfile>;
  if (lock === null || typeof lock !== 'object' || lock.lockfileVersion !== 1 || typeof lock.bundles !== 'object' || lock.bundles === null) {
    throw new RegistryError(`${path}: not a cipa lockfile (expected {"lockfileVersion": 1, "bundles": {…}})`);
  }
  for (const [ref, entry] of Object.entries(lock.bundles)) {
    if (!isDigest(entry?.digest)) throw new RegistryError(`${path}: entry ${JSON.stringify(ref)} has no valid sha256 digest`);
  }
  return lock as Lockfile;
}

export async function writeLockfile(path: string, lock: Lockfile): Promise<void> {
  const bundles: Record<string, LockEntry> = {};
  for (const ref of Object.keys(lock.bundles).sort()) bundles[ref] = lock.bundles[ref]!;
  await writeFileAtomic(path, `${JSON.stringify({ lockfileVersion: 1, bundles }, null, 2)}\n`);
}

/** Throws (exit 2) when `ref` is pinned to another digest, naming both. */
export function checkPinned(lock: Lockfile, lockPath: string, ref: string, digest: Digest): void {
  const pinned = lock.bundles[ref]?.digest;
  if (pinned !== undefined && pinned !== digest) {
    throw new RegistryError(
      `${lockPath}: ${ref} is pinned to ${pinned} but resolved to ${digest}`,
      'the bundle behind this reference changed; if that is intended, update the lock',
    );
  }
}

export function pin(lock: Lockfile, ref: string, entry: LockEntry): Lockfile {
  return { lockfileVersion: 1, bundles: { ...lock.bundles, [ref]: entry } };
}
