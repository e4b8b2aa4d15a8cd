import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { readBytes } from './bytes.js';
import { type Digest, digestHex, sha256Digest } from './digest.js';

/** `$CIPA_CACHE_DIR`, else `$XDG_CACHE_HOME/cipa`, else `~/.cache/cipa`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CIPA_CACHE_DIR) return env.CIPA_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'cipa');
  return join(homedir(), '.cache', 'cipa');
}

/**
 * Downloaded bundles by content: `<dir>/bundles/sha256/<hex>`. Entries are written atomically and checked against
 * their name on every read; an entry that does not match is deleted and reported as a miss.
 */
export class BundleCache {
  readonly dir: string;

  constructor(dir: string = defaultCacheDir()) {
    this.dir = dir;
  }

  pathFor(digest: Digest): string {
    return join(this.dir, 'bundles', 'sha256', digestHex(digest));
  }

  async get(digest: Digest): Promise<Uint8Array | undefined> {
    const path = this.pathFor(digest);
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(path);
    } catch {
      return undefined;
    }
    if (sha256Digest(bytes) !== digest) {
      await rm(path, { force: true });
      return undefined;
    }
    return bytes;
  }

  async put(bytes: Uint8Array): Promise<Digest> {
    const digest = sha256Digest(bytes);
    if ((await this.get(digest)) === undefined) await writeFileAtomic(this.pathFor(digest), bytes);
    return digest;
  }
}
