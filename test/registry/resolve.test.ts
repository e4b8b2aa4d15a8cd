import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BundleCache, defaultCacheDir } from '../../src/registry/cache.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { RegistryError } from '../../src/registry/errors.js';
import { readLockfile } from '../../src/registry/lock.js';
import { parseBundleRef, resolveBundleRef } from '../../src/registry/resolve.js';
import { type RunningBundleServer, startBundleServer } from '../../src/serve/server.js';
import { tmp } from '../support/opa.js';

const bundle = (size = 200) => new Uint8Array(gzipSync(randomBytes(size)));

async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  const registryError = error as RegistryError;
  expect(registryError.exitCode).toBe(2);
  expect(registryError.oneLine()).not.toContain('\n');
  return registryError;
}

describe('parseBundleRef', () => {
  it('tells the four kinds apart', () => {
    expect(parseBundleRef('oci://127.0.0.1:5000/cipa:1.0.0')).toEqual({ kind: 'oci', ref: 'oci://127.0.0.1:5000/cipa:1.0.0' });
    expect(parseBundleRef('https://example.test/b.tar.gz')).toEqual({ kind: 'http', url: 'https://example.test/b.tar.gz' });
    expect(parseBundleRef('./reg#cipa@stable', '/work')).toEqual({ kind: 'directory', root: '/work/reg', name: 'cipa', ref: 'stable' });
    expect(parseBundleRef('/r#cipa@1.4.2')).toEqual({ kind: 'directory', root: '/r', name: 'cipa', ref: '1.4.2' });
    expect(parseBundleRef('b.tar.gz', '/work')).toEqual({ kind: 'file', path: '/work/b.tar.gz' });
    expect(parseBundleRef('file:///tmp/b.tar.gz')).toEqual({ kind: 'file', path: '/tmp/b.tar.gz' });
    expect(() => parseBundleRef('./reg#cipa')).toThrow(/expected <registry dir>#<name>@<version\|channel>/);
    expect(() => parseBundleRef('ftp://x/y')).toThrow(/unsupported scheme/);
  });
});

describe('defaultCacheDir', () => {
  it('prefers $CIPA_CACHE_DIR, then $XDG_CACHE_HOME/cipa, then ~/.cache/cipa', () => {
    expect(defaultCacheDir({ CIPA_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/cipa');
    expect(defaultCacheDir({})).toMatch(/\.cache\/cipa$/);
  });
});

describe('resolveBundleRef', () => {
  let registry: DirectoryRegistry;
  let server: RunningBundleServer;
  const v1 = bundle();
  const v2 = bundle();
  const hostile: Server[] = [];

  beforeAll(async () => {
    registry = new DirectoryRegistry(tmp('cipa-resolve-reg-'));
    await registry.publish(v1, { name: 'cipa', version: '1.0.0', channel: 'stable' });
    await registry.publish(v2, { name: 'cipa', version: '2.0.0' });
    server = await startBundleServer({ registry: registry.root, port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    for (const s of hostile) {
      s.closeAllConnections();
      s.close();
    }
  });

  async function hostileServer(handler: Parameters<typeof createServer>[1]): Promise<string> {
    const s = createServer(handler);
    hostile.push(s);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  it('reads a file, pins it in cipa.lock, and fails naming both digests when it changes', async () => {
    const dir = tmp('cipa-resolve-');
    const file = join(dir, 'b.tar.gz');
    writeFileSync(file, v1);
    const lockfile = join(dir, 'cipa.lock');
    const first = await resolveBundleRef(file, { lockfile, cacheDir: join(dir, 'cache') });
    expect(first).toMatchObject({ digest: sha256Digest(v1), source: file, fromCache: false });
    expect((await readLockfile(lockfile)).bundles[file]).toEqual({ digest: sha256Digest(v1), source: file });
    writeFileSync(file, v2);
    const error = await rejection(resolveBundleRef(file, { lockfile, cacheDir: join(dir, 'cache') }));
    expect(error.oneLine()).toContain(`${lockfile}: ${file} is pinned to ${sha256Digest(v1)} but resolved to ${sha256Digest(v2)}`);
    const updated = await resolveBundleRef(file, { lockfile, updateLock: true, cacheDir: join(dir, 'cache') });
    expect(updated.digest).toBe(sha256Digest(v2));
    expect((await readLockfile(lockfile)).bundles[file]!.digest).toBe(sha256Digest(v2));
  });

  it('resolves directory-registry refs by version and channel, and the lock catches a channel move', async () => {
    const dir = tmp('cipa-resolve-');
    const lockfile = join(dir, 'cipa.lock');
    const ref = `${registry.root}#cipa@stable`;
    const byChannel = await resolveBundleRef(ref, { lockfile, cacheDir: join(dir, 'cache') });
    expect(byChannel.digest).toBe(sha256Digest(v1));
    expect(byChannel.source).toBe(`${registry.root}#cipa@1.0.0`);
    expect((await resolveBundleRef(`${registry.root}#cipa@2.0.0`)).digest).toBe(sha256Digest(v2));
    const other = new DirectoryRegistry(tmp('cipa-resolve-reg-'));
    await other.publish(v1, { name: 'x', version: '1.0.0', channel: 'stable' });
    await other.publish(v2, { name: 'x', version: '2.0.0' });
    const otherRef = `${other.root}#x@stable`;
    await resolveBundleRef(otherRef, { lockfile });
    await other.setChannel('x', 'stable', '2.0.0');
    const error = await rejection(resolveBundleRef(otherRef, { lockfile }));
    expect(error.message).toContain(`is pinned to ${sha256Digest(v1)} but resolved to ${sha256Digest(v2)}`);
    await rejection(resolveBundleRef(`${registry.root}#cipa@9.9.9`));
  });

  it('downloads over HTTP, caches by digest, and serves a pinned ref from the cache', async () => {
    const dir = tmp('cipa-resolve-');
    const cacheDir = join(dir, 'cache');
    const lockfile = join(dir, 'cipa.lock');
    const url = `${server.url}/bundles/cipa/1.0.0`;
    const first = await resolveBundleRef(url, { cacheDir, lockfile });
    expect(first).toMatchObject({ digest: sha256Digest(v1), source: url, fromCache: false });
    const cached = new BundleCache(cacheDir).pathFor(first.digest);
    expect(existsSync(cached)).toBe(true);
    expect(sha256Digest(readFileSync(cached))).toBe(first.digest);
    const second = await resolveBundleRef(url, { cacheDir, lockfile });
    expect(second.fromCache).toBe(true);
    expect(Buffer.from(second.bytes).equals(Buffer.from(v1))).toBe(true);
    // a corrupted cache entry is dropped and downloaded again
    writeFileSync(cached, 'garbage');
    const third = await resolveBundleRef(url, { cacheDir, lockfile });
    expect(third.fromCache).toBe(false);
    expect(sha256Digest(readFileSync(cached))).toBe(first.digest);
  });

  it('fails on HTTP errors, non-gzip bodies, oversize bodies and unreachable hosts, in one line', async () => {
    expect((await rejection(resolveBundleRef(`${server.url}/bundles/cipa/9.9.9`))).message).toMatch(/server answered HTTP 404/);
    const html = await hostileServer((_q, s) => s.end('<html>login</html>'));
    expect((await rejection(resolveBundleRef(`${html}/b.tar.gz`))).message).toMatch(/not a gzip-compressed bundle/);
    const big = await hostileServer((_q, s) => s.end(Buffer.alloc(4096)));
    expect((await rejection(resolveBundleRef(`${big}/b`, { maxBytes: 1024 }))).message).toMatch(/exceeds the 1024-byte limit/);
    const chunked = await hostileServer((_q, s) => {
      s.write(Buffer.alloc(800));
      s.end(Buffer.alloc(800));
    });
    expect((await rejection(resolveBundleRef(`${chunked}/b`, { maxBytes: 1024 }))).message).toMatch(/exceeds the 1024-byte limit/);
    const closed = await hostileServer(() => undefined);
    const port = new URL(closed).port;
    hostile.pop()!.close();
    expect((await rejection(resolveBundleRef(`http://127.0.0.1:${port}/b`, { timeoutMs: 5_000 }))).message).toMatch(/request to .* failed|within/);
  });

  it('never hangs: a server that stalls before or during the body hits the time-out', async () => {
    const silent = await hostileServer(() => undefined);
    expect((await rejection(resolveBundleRef(`${silent}/b`, { timeoutMs: 300 }))).message).toMatch(/no complete answer from .* within 300 ms/);
    const trickle = await hostileServer((_q, s) => {
      s.writeHead(200, { 'Content-Type': 'application/gzip' });
      s.write(Buffer.from([0x1f, 0x8b]));
    });
    expect((await rejection(resolveBundleRef(`${trickle}/b`, { timeoutMs: 300 }))).message).toMatch(/within 300 ms/);
  });

  it('rejects a corrupt lockfile and a missing file by name', async () => {
    const dir = tmp('cipa-resolve-');
    const lockfile = join(dir, 'cipa.lock');
    writeFileSync(lockfile, '{"lockfileVersion": 7}');
    writeFileSync(join(dir, 'b.tar.gz'), v1);
    expect((await rejection(resolveBundleRef(join(dir, 'b.tar.gz'), { lockfile }))).message).toContain(`${lockfile}: not a cipa lockfile`);
    expect((await rejection(resolveBundleRef(join(dir, 'missing.tar.gz')))).message).toContain('missing.tar.gz: no such file');
  });
});
