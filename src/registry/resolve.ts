import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeFsError } from '../errors.js';
import { readBytes } from './bytes.js';
import { BundleCache } from './cache.js';
import { type Digest, sha256Digest } from './digest.js';
import { DirectoryRegistry } from './directory.js';
import { RegistryError } from './errors.js';
import { boundedFetch, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, type FetchLimits } from './fetch.js';
import { withFileLock } from './filelock.js';
import { checkPinned, pin, readLockfile, writeLockfile } from './lock.js';
import { type OciOptions, ociOptionsFromEnv, pullOciBundle } from './oci.js';

/**
 * Bundle references:
 *   ./bundle.tar.gz, /abs/bundle.tar.gz, file:///abs/bundle.tar.gz   a file
 *   <dir>#<name>@<version|channel>                                    a directory registry (e.g. ./registry#cipa@stable)
 *   http(s)://host/path                                              an HTTP download (e.g. a cipa serve URL)
 *   oci://host[:port]/repo:tag, oci://host/repo@sha256:…             an OCI registry
 */
export type BundleRef =
  | { kind: 'file'; path: string }
  | { kind: 'directory'; root: string; name: string; ref: string }
  | { kind: 'http'; url: string }
  | { kind: 'oci'; ref: string };

export function parseBundleRef(text: string, cwd: string = process.cwd()): BundleRef {
  if (text.trim() === '') throw new RegistryError('empty bundle reference');
  if (text.startsWith('oci://')) return { kind: 'oci', ref: text };
  if (/^https?:\/\//i.test(text)) return { kind: 'http', url: text };
  if (text.startsWith('file://')) return { kind: 'file', path: fileURLToPath(text) };
  const absolute = (p: string) => (isAbsolute(p) ? p : resolvePath(cwd, p));
  const hash = text.lastIndexOf('#');
  if (hash > 0 && !existsSync(absolute(text))) {
    const target = /^([^@]+)@(.+)$/.exec(text.slice(hash + 1));
    if (target === null) throw new RegistryError(`${text}: expected <registry dir>#<name>@<version|channel>`);
    return { kind: 'directory', root: absolute(text.slice(0, hash)), name: target[1]!, ref: target[2]! };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new RegistryError(`${text}: unsupported scheme (use a path, http(s)://, oci:// or <dir>#<name>@<ref>)`);
  return { kind: 'file', path: absolute(text) };
}

export interface ResolveOptions extends FetchLimits {
  /** Cache directory (default: defaultCacheDir()). */
  cacheDir?: string;
  /** Path of a cipa.lock: the ref must resolve to its pinned digest; an unpinned ref gets pinned. */
  lockfile?: string;
  /** Re-pin a ref whose digest changed instead of failing. */
  updateLock?: boolean;
  /** Download even when the pinned digest is in the cache. */
  refresh?: boolean;
  /** Credentials and transport for oci:// references (default: ociOptionsFromEnv()). */
  oci?: OciOptions;
  cwd?: string;
}

export interface ResolvedBundle {
  bytes: Uint8Array;
  digest: Digest;
  /** Where the bytes came from, pinned where the kind allows: a path, <dir>#name@version, the final URL, oci://…@sha256. */
  source: string;
  /** Served from the cache because the lockfile pinned a digest the cache holds. */
  fromCache: boolean;
}

/**
 * Fetches the bundle a reference names, under size caps and a time-out, checks it against the lockfile, and caches
 * remote (http, oci) downloads by digest. A pinned remote ref whose digest is cached is served from the cache.
 */
export async function resolveBundleRef(ref: string, options: ResolveOptions = {}): Promise<ResolvedBundle> {
  const parsed = parseBundleRef(ref, options.cwd);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const cache = new BundleCache(options.cacheDir);
  const remote = parsed.kind === 'http' || parsed.kind === 'oci';
  const lock = options.lockfile === undefined ? undefined : await readLockfile(options.lockfile);
  const pinned = lock?.bundles[ref];

  if (pinned !== undefined && remote && !options.refresh) {
    const cached = await cache.get(pinned.digest);
    if (cached !== undefined) return { bytes: cached, digest: pinned.digest, source: pinned.source ?? ref, fromCache: true };
  }

  const { bytes, source } = await fetchRef(ref, parsed, maxBytes, timeoutMs, options.oci);
  if (bytes.byteLength < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new RegistryError(`${ref}: not a gzip-compressed bundle (from ${source})`);
  }
  const digest = sha256Digest(bytes);
  if (options.lockfile !== undefined && lock !== undefined) {
    const lockPath = options.lockfile;
    if (!options.updateLock) checkPinned(lock, lockPath, ref, digest);
    if (pinned?.digest !== digest || pinned.source !== source) {
      await withFileLock(`${lockPath}.lock`, async () => {
        const fresh = await readLockfile(lockPath);
        if (!options.updateLock) checkPinned(fresh, lockPath, ref, digest);
        await writeLockfile(lockPath, pin(fresh, ref, { digest, source }));
      });
    }
  }
  if (remote) await cache.put(bytes);
  return { bytes, digest, source, fromCache: false };
}

async function fetchRef(ref: string, parsed: BundleRef, maxBytes: number, timeoutMs: number, oci: OciOptions | undefined): Promise<{ bytes: Uint8Array; source: string }> {
  switch (parsed.kind) {
    case 'file': {
      let size: number;
      try {
        const info = statSync(parsed.path);
        if (!info.isFile()) throw new RegistryError(`${parsed.path}: not a file`);
        size = info.size;
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        throw new RegistryError(`${parsed.path}: ${describeFsError(error)}`);
      }
      if (size > maxBytes) throw new RegistryError(`${parsed.path}: ${size} bytes exceeds the ${maxBytes}-byte limit`);
      return { bytes: await readBytes(parsed.path), source: parsed.path };
    }
    case 'directory': {
      const read = await new DirectoryRegistry(parsed.root).read(parsed.name, parsed.ref, maxBytes);
      return { bytes: read.bytes, source: `${parsed.root}#${read.name}@${read.version}` };
    }
    case 'http': {
      const response = await boundedFetch(parsed.url, ref, { timeoutMs, maxBytes, headers: { Accept: 'application/gzip, application/octet-stream' } });
      if (response.status !== 200) throw new RegistryError(`${ref}: server answered HTTP ${response.status}`);
      return { bytes: response.body, source: response.url };
    }
    case 'oci': {
      const pulled = await pullOciBundle(parsed.ref, { ...(oci ?? ociOptionsFromEnv()), timeoutMs, maxBytes });
      return { bytes: pulled.bytes, source: pulled.source };
    }
  }
}
