import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBundle } from '../../src/bundle/sign.js';
import { bundleBytes } from '../../src/bundle/write.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { RegistryError } from '../../src/registry/errors.js';
import { resolveBundleRef } from '../../src/registry/resolve.js';
import { readLockfile } from '../../src/registry/lock.js';
import { OCI_CONFIG, OCI_LAYER, OCI_MANIFEST, parseOciRef, pullOciBundle, pushOciBundle } from '../../src/registry/oci.js';
import { killAll } from '../support/children.js';
import { opaBuild, type RunningOpa, startOpa, tmp, waitUntil } from '../support/opa.js';
import { locateOras, oras, readBytes, type RunningRegistry, startOciRegistry } from '../support/registry.js';

function spawnOras(cwd: string, args: string[]): void {
  const result = spawnSync(locateOras(), args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`oras ${args.join(' ')} failed: ${result.stderr}${result.error?.message ?? ''}`);
}

describe('parseOciRef', () => {
  it('reads host, port, nested repository, tag and digest', () => {
    const d = `sha256:${'a'.repeat(64)}`;
    expect(parseOciRef('oci://127.0.0.1:5000/org/policy:1.4.2')).toEqual({ registry: '127.0.0.1:5000', repository: 'org/policy', tag: '1.4.2' });
    expect(parseOciRef(`oci://ghcr.io/org/policy@${d}`)).toEqual({ registry: 'ghcr.io', repository: 'org/policy', digest: d });
    expect(parseOciRef(`oci://localhost:5000/p:1@${d}`)).toEqual({ registry: 'localhost:5000', repository: 'p', tag: '1', digest: d });
  });
  it('rejects what is not a pinned or tagged reference, one line each', () => {
    for (const bad of ['ghcr.io/x:1', 'oci://ghcr.io/x', 'oci://ghcr.io/Upper:1', 'oci://ghcr.io/x@sha256:12', 'oci:///x:1']) {
      expect(() => parseOciRef(bad)).toThrow(RegistryError);
    }
  });
});

describe('OCI bundles in a real registry (docker-registry), read by a real OPA', () => {
  let registry: RunningRegistry;
  let opa: RunningOpa | undefined;
  const v1 = opaBuild({ 'demo.rego': 'package cipa.demo\n\nversion := "oci-1"\n' }, { revision: 'oci-1' });
  const v2 = opaBuild({ 'demo.rego': 'package cipa.demo\n\nversion := "oci-2"\n' }, { revision: 'oci-2' });

  beforeAll(async () => {
    locateOras(); // installs the pinned oras first if needed, so a missing tool fails here, by name
    registry = await startOciRegistry();
  }, 900_000);
  afterAll(() => {
    opa?.stop();
    registry?.stop();
    killAll();
  });

  it('pushes a single-layer OPA bundle artifact, idempotently, and pulls it back by tag and by digest', async () => {
    const ref = `oci://${registry.host}/cipa/demo:1.0.0`;
    const pushed = await pushOciBundle(ref, v1);
    expect(pushed.digest).toBe(sha256Digest(v1));
    expect(pushed.unchanged).toBe(false);
    expect(pushed.ref).toBe(`oci://${registry.host}/cipa/demo@${pushed.manifestDigest}`);
    const again = await pushOciBundle(ref, v1);
    expect(again).toEqual({ ...pushed, unchanged: true });

    const byTag = await pullOciBundle(ref);
    expect(byTag.digest).toBe(sha256Digest(v1));
    expect(byTag.manifestDigest).toBe(pushed.manifestDigest);
    expect(Buffer.from(byTag.bytes).equals(Buffer.from(v1))).toBe(true);
    const byDigest = await pullOciBundle(pushed.ref);
    expect(Buffer.from(byDigest.bytes).equals(Buffer.from(v1))).toBe(true);
    expect(byDigest.source).toBe(pushed.ref);
  });

  it('refuses to move an existing tag to a different bundle unless forced', async () => {
    const ref = `oci://${registry.host}/cipa/immutable:1.0.0`;
    const first = await pushOciBundle(ref, v1);
    const error = await pushOciBundle(ref, v2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).oneLine()).toContain(`tag 1.0.0 already holds a different artifact (manifest ${first.manifestDigest}, bundle ${sha256Digest(v1)}); refusing to replace it with bundle ${sha256Digest(v2)}`);
    expect((await pullOciBundle(ref)).digest).toBe(sha256Digest(v1));
    const forced = await pushOciBundle(ref, v2, { force: true });
    expect((await pullOciBundle(ref)).digest).toBe(sha256Digest(v2));
    expect(forced.manifestDigest).not.toBe(first.manifestDigest);
  });

  it('fails clearly on a missing tag, a wrong digest and a size cap', async () => {
    await expect(pullOciBundle(`oci://${registry.host}/cipa/demo:9.9.9`)).rejects.toThrow(/manifest 9\.9\.9 answered HTTP 404/);
    await expect(pullOciBundle(`oci://${registry.host}/cipa/demo@sha256:${'0'.repeat(64)}`)).rejects.toThrow(/HTTP 404/);
    await expect(pullOciBundle(`oci://${registry.host}/cipa/demo:1.0.0`, { maxBytes: 16 })).rejects.toThrow(/exceeds the 16-byte limit/);
  });

  it('resolves oci:// refs through the cache and the lockfile, and catches a moved tag', async () => {
    const dir = tmp('cipa-oci-resolve-');
    const lockfile = join(dir, 'cipa.lock');
    const cacheDir = join(dir, 'cache');
    const ref = `oci://${registry.host}/cipa/locked:1.0.0`;
    const pushed = await pushOciBundle(ref, v1);
    const first = await resolveBundleRef(ref, { lockfile, cacheDir });
    expect(first).toMatchObject({ digest: sha256Digest(v1), source: pushed.ref, fromCache: false });
    expect((await readLockfile(lockfile)).bundles[ref]).toEqual({ digest: sha256Digest(v1), source: pushed.ref });
    expect((await resolveBundleRef(ref, { lockfile, cacheDir })).fromCache).toBe(true);
    await pushOciBundle(ref, v2, { force: true });
    const error = await resolveBundleRef(ref, { lockfile, cacheDir, refresh: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toBe(`${lockfile}: ${ref} is pinned to ${sha256Digest(v1)} but resolved to ${sha256Digest(v2)}`);
    // pinned by manifest digest, the old bundle is still reachable
    expect((await resolveBundleRef(pushed.ref, { cacheDir })).digest).toBe(sha256Digest(v1));
  });

  it('oras sees a valid OCI artifact: OCI manifest, {} config, exactly one tar+gzip layer that is the bundle', async () => {
    const manifest = JSON.parse(oras(['manifest', 'fetch', '--plain-http', `${registry.host}/cipa/demo:1.0.0`])) as {
      mediaType: string; config: { mediaType: string; size: number }; layers: Array<{ mediaType: string; digest: string }>;
    };
    expect(manifest.mediaType).toBe(OCI_MANIFEST);
    expect(manifest.config.mediaType).toBe(OCI_CONFIG);
    expect(manifest.config.size).toBe(2);
    expect(manifest.layers).toHaveLength(1);
    expect(manifest.layers[0]!.mediaType).toBe(OCI_LAYER);
    expect(manifest.layers[0]!.digest).toBe(sha256Digest(v1));
    // and what oras pushes for the same bundle (another manifest: its own config and annotations) counts as the same bundle
    const orasDir = tmp('cipa-oras-push-');
    writeFileSync(join(orasDir, 'bundle.tar.gz'), v1);
    writeFileSync(join(orasDir, 'config.json'), '{}');
    spawnOras(orasDir, ['push', '--plain-http', `${registry.host}/cipa/by-oras:1.0.0`, '--config', 'config.json:application/vnd.oci.image.config.v1+json', 'bundle.tar.gz:application/vnd.oci.image.layer.v1.tar+gzip']);
    const again = await pushOciBundle(`oci://${registry.host}/cipa/by-oras:1.0.0`, v1);
    expect(again.unchanged).toBe(true);
    expect((await pullOciBundle(again.ref)).digest).toBe(sha256Digest(v1));
    await expect(pushOciBundle(`oci://${registry.host}/cipa/by-oras:1.0.0`, v2)).rejects.toThrow(/already holds a different artifact/);
    const out = tmp('cipa-oras-');
    oras(['pull', '--plain-http', '-o', out, `${registry.host}/cipa/demo:1.0.0`]);
    expect(readdirSync(out)).toEqual(['bundle.tar.gz']);
    expect(sha256Digest(readBytes(join(out, 'bundle.tar.gz')))).toBe(sha256Digest(v1));
  });

  it('a real OPA with a type: oci service pulls and activates what cipa pushed, and follows the tag', async () => {
    await pushOciBundle(`oci://${registry.host}/cipa/live:stable`, v1);
    opa = await startOpa({
      services: { registry: { url: `http://${registry.host}`, type: 'oci' } },
      bundles: {
        demo: { service: 'registry', resource: `${registry.host}/cipa/live:stable`, polling: { min_delay_seconds: 1, max_delay_seconds: 1 } },
      },
      persistence_directory: tmp('cipa-opa-persist-'),
    });
    const result = async () => ((await opa!.get('/v1/data/cipa/demo/version')).body as { result?: string }).result;
    expect(await waitUntil(result, 60_000, 'OPA to activate the OCI bundle')).toBe('oci-1');
    const etag = (await opa.get('/v1/data/system/bundles/demo/etag')).body as { result?: string };
    expect(etag.result).toBe(sha256Digest(v1).slice('sha256:'.length));
    await pushOciBundle(`oci://${registry.host}/cipa/live:stable`, v2, { force: true });
    expect(await waitUntil(async () => ((await result()) === 'oci-2' ? 'oci-2' : undefined), 60_000, 'OPA to follow the moved tag')).toBe('oci-2');
  });

  it('a real OPA also pulls by manifest digest (resource pinned with @sha256:…)', async () => {
    const pushed = await pushOciBundle(`oci://${registry.host}/cipa/pinned:1.0.0`, v2);
    const pinnedOpa = await startOpa({
      services: { registry: { url: `http://${registry.host}`, type: 'oci' } },
      bundles: {
        demo: { service: 'registry', resource: `${registry.host}/cipa/pinned@${pushed.manifestDigest}`, polling: { min_delay_seconds: 1, max_delay_seconds: 1 } },
      },
      persistence_directory: tmp('cipa-opa-persist-'),
    });
    try {
      const result = async () => ((await pinnedOpa.get('/v1/data/cipa/demo/version')).body as { result?: string }).result;
      expect(await waitUntil(result, 60_000, `OPA to activate ${pushed.ref}`)).toBe('oci-2');
    } finally {
      pinnedOpa.stop();
    }
  });

  it('signed bundles over OCI: OPA verifies the layer, refuses a tampered push and keeps the good bundle', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const enc = (text: string) => new TextEncoder().encode(text);
    const files = (version: string) => new Map<string, Uint8Array>([
      ['.manifest', enc(JSON.stringify({ revision: version, roots: ['cipa'], metadata: { name: 'signed', version } }))],
      ['cipa/demo/demo.rego', enc(`package cipa.demo\n\nversion := "signed-${version}"\n`)],
    ]);
    const signed = await signBundle(files('1.0.0'), { key: { id: 'k', algorithm: 'ES256', key: privateKey } });
    const good = new Uint8Array(bundleBytes(signed));
    const tampered = new Map(await signBundle(files('1.1.0'), { key: { id: 'k', algorithm: 'ES256', key: privateKey } }));
    tampered.set('cipa/demo/demo.rego', enc('package cipa.demo\n\nversion := "forged"\n'));
    const forged = new Uint8Array(bundleBytes(tampered));
    const ref = `oci://${registry.host}/cipa/signed:prod`;
    await pushOciBundle(ref, good);
    const verifying = await startOpa({
      services: { registry: { url: `http://${registry.host}`, type: 'oci' } },
      keys: { k: { algorithm: 'ES256', key: publicKey.export({ type: 'spki', format: 'pem' }).toString() } },
      bundles: {
        demo: { service: 'registry', resource: `${registry.host}/cipa/signed:prod`, polling: { min_delay_seconds: 1, max_delay_seconds: 1 }, signing: { keyid: 'k' } },
      },
      persistence_directory: tmp('cipa-opa-persist-'),
    });
    try {
      const result = async () => ((await verifying.get('/v1/data/cipa/demo/version')).body as { result?: string }).result;
      expect(await waitUntil(result, 60_000, 'OPA to activate the signed OCI bundle')).toBe('signed-1.0.0');
      await pushOciBundle(ref, forged, { force: true });
      await waitUntil(async () => verifying.logs().split('\n').find((l) => /"level":"error"/.test(l) && /demo\.rego.*digest mismatch/.test(l)), 60_000, 'OPA to reject the tampered OCI bundle');
      expect(await result()).toBe('signed-1.0.0');
    } finally {
      verifying.stop();
    }
  });
});
