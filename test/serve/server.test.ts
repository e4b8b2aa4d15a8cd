import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { RegistryError } from '../../src/registry/errors.js';
import { type RunningBundleServer, startBundleServer } from '../../src/serve/server.js';
import { tmp, waitUntil } from '../support/opa.js';

const bundle = () => new Uint8Array(gzipSync(randomBytes(300)));

describe('bundle server', () => {
  let registry: DirectoryRegistry;
  let server: RunningBundleServer;
  const v1 = bundle();
  const v2 = bundle();
  const lines: string[] = [];

  beforeAll(async () => {
    registry = new DirectoryRegistry(tmp('cipa-serve-'));
    await registry.publish(v1, { name: 'cipa', version: '1.0.0', channel: 'stable' });
    await registry.publish(v2, { name: 'cipa', version: '2.0.0' });
    await registry.publish(v2, { name: 'org/policy', version: '2.0.0', channel: 'stable' });
    server = await startBundleServer({ registry: registry.root, port: 0, log: (l) => lines.push(l) });
  });
  afterAll(async () => server?.close());

  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${server.url}${path}`, { method, headers, signal: AbortSignal.timeout(5_000) });

  it('binds to loopback by default', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a version with a strong ETag that is its quoted sha256 digest', async () => {
    const response = await get('/bundles/cipa/1.0.0');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${sha256Digest(v1)}"`);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(v1))).toBe(true);
  });

  it('answers 304 to a matching If-None-Match, and 200 to a stale one', async () => {
    const etag = `"${sha256Digest(v1)}"`;
    const same = await get('/bundles/cipa/stable', { 'If-None-Match': etag });
    expect(same.status).toBe(304);
    expect(same.headers.get('etag')).toBe(etag);
    expect((await same.arrayBuffer()).byteLength).toBe(0);
    expect((await get('/bundles/cipa/stable', { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
    const stale = await get('/bundles/cipa/stable', { 'If-None-Match': `"${sha256Digest(v2)}"` });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('cipa-bundle-version')).toBe('1.0.0');
  });

  it('serves names with / segments', async () => {
    const response = await get('/bundles/org/policy/stable');
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe(`"${sha256Digest(v2)}"`);
  });

  it('follows a channel move on the next request', async () => {
    expect((await get('/bundles/cipa/stable')).headers.get('etag')).toBe(`"${sha256Digest(v1)}"`);
    // moved by another registry handle, as another process would
    await new DirectoryRegistry(registry.root).setChannel('cipa', 'stable', '2.0.0');
    const moved = await get('/bundles/cipa/stable', { 'If-None-Match': `"${sha256Digest(v1)}"` });
    expect(moved.status).toBe(200);
    expect(moved.headers.get('etag')).toBe(`"${sha256Digest(v2)}"`);
    expect(Buffer.from(await moved.arrayBuffer()).equals(Buffer.from(v2))).toBe(true);
  });

  it('answers HEAD without a body, 404 for unknown bundles and paths, 405 for writes, and /health', async () => {
    const head = await get('/bundles/cipa/1.0.0', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(v1.byteLength));
    expect((await get('/bundles/cipa/9.9.9')).status).toBe(404);
    expect((await get('/bundles/nope/stable')).status).toBe(404);
    expect((await get('/bundles/cipa/..%2F..%2Fetc')).status).toBe(404);
    expect((await get('/elsewhere')).status).toBe(404);
    expect((await get('/bundles/cipa/1.0.0', {}, 'PUT')).status).toBe(405);
    const health = await get('/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(lines.some((l) => /^GET \/bundles\/cipa\/1\.0\.0 200 sha256:/.test(l))).toBe(true);
  });

  it('never sends bytes that differ from the indexed digest', async () => {
    writeFileSync(registry.bundlePath('cipa', '1.0.0'), gzipSync('tampered on disk'));
    const response = await get('/bundles/cipa/1.0.0');
    expect(response.status).toBe(500);
    expect(lines.at(-1)).toMatch(/500 .*does not match the index/);
  });

  it('refuses a registry directory that does not exist', async () => {
    await expect(startBundleServer({ registry: '/nonexistent/registry', port: 0 })).rejects.toBeInstanceOf(RegistryError);
  });
});

describe('bundle server long polling', () => {
  it('holds a current request until the channel moves, then answers 200 with the bundle media type', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-serve-lp-'));
    const a = bundle();
    const b = bundle();
    await registry.publish(a, { name: 'lp', version: '1.0.0', channel: 'stable' });
    await registry.publish(b, { name: 'lp', version: '2.0.0' });
    const server = await startBundleServer({ registry: registry.root, port: 0, pollMs: 50 });
    try {
      const pending = fetch(`${server.url}/bundles/lp/stable`, {
        headers: { 'If-None-Match': `"${sha256Digest(a)}"`, Prefer: 'modes=snapshot,delta;wait=30' },
        signal: AbortSignal.timeout(20_000),
      });
      await waitUntil(async () => (server.waiting() === 1 ? true : undefined), 10_000, 'the request to be held', 20);
      await registry.setChannel('lp', 'stable', '2.0.0');
      const response = await pending;
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/vnd.openpolicyagent.bundles');
      expect(response.headers.get('etag')).toBe(`"${sha256Digest(b)}"`);
      expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(b))).toBe(true);
      expect(server.waiting()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('answers 304 when nothing moves within the wait, and at once to a stale ETag', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-serve-lp-'));
    const a = bundle();
    await registry.publish(a, { name: 'lp', version: '1.0.0', channel: 'stable' });
    const server = await startBundleServer({ registry: registry.root, port: 0, pollMs: 50 });
    try {
      const held = await fetch(`${server.url}/bundles/lp/stable`, {
        headers: { 'If-None-Match': `"${sha256Digest(a)}"`, Prefer: 'modes=snapshot,delta;wait=1' },
        signal: AbortSignal.timeout(20_000),
      });
      expect(held.status).toBe(304);
      expect(held.headers.get('content-type')).toBe('application/vnd.openpolicyagent.bundles');
      const stale = await fetch(`${server.url}/bundles/lp/stable`, {
        headers: { 'If-None-Match': '"sha256:old"', Prefer: 'modes=snapshot,delta;wait=30' },
        signal: AbortSignal.timeout(20_000),
      });
      expect(stale.status).toBe(200);
      expect(server.waiting()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('releases held requests when the server closes', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-serve-lp-'));
    const a = bundle();
    await registry.publish(a, { name: 'lp', version: '1.0.0', channel: 'stable' });
    const server = await startBundleServer({ registry: registry.root, port: 0, pollMs: 50 });
    const pending = fetch(`${server.url}/bundles/lp/stable`, {
      headers: { 'If-None-Match': `"${sha256Digest(a)}"`, Prefer: 'modes=snapshot,delta;wait=60' },
      signal: AbortSignal.timeout(20_000),
    }).then((r) => r.status, () => 'closed');
    await waitUntil(async () => (server.waiting() === 1 ? true : undefined), 10_000, 'the request to be held', 20);
    await server.close();
    expect([304, 'closed']).toContain(await pending);
    await waitUntil(async () => (server.waiting() === 0 ? true : undefined), 5_000, 'the hold to end', 20);
  });

  it('holds at most maxWaiting requests; the next long poll is answered at once', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-serve-lp-'));
    const a = bundle();
    await registry.publish(a, { name: 'lp', version: '1.0.0', channel: 'stable' });
    const server = await startBundleServer({ registry: registry.root, port: 0, pollMs: 50, maxWaiting: 1 });
    const ask = () => fetch(`${server.url}/bundles/lp/stable`, {
      headers: { 'If-None-Match': `"${sha256Digest(a)}"`, Prefer: 'modes=snapshot,delta;wait=60' },
      signal: AbortSignal.timeout(20_000),
    });
    try {
      const first = ask().then((r) => r.status, () => 'closed');
      await waitUntil(async () => (server.waiting() === 1 ? true : undefined), 10_000, 'the first request to be held', 20);
      expect((await ask()).status).toBe(304);
      expect(server.waiting()).toBe(1);
      await server.close();
      expect([304, 'closed']).toContain(await first);
    } finally {
      await server.close();
    }
  });
});
