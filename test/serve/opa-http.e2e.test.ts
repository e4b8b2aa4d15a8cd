import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { signBundle } from '../../src/bundle/sign.js';
import { bundleBytes } from '../../src/bundle/write.js';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { type RunningBundleServer, startBundleServer } from '../../src/serve/server.js';
import { killAll } from '../support/children.js';
import { opaBuild, rsaKeys, type RunningOpa, startOpa, tmp, waitUntil } from '../support/opa.js';

const policy = (version: string) => `package cipa.demo\n\nversion := "${version}"\n`;

/** The policy's answer as the OPA server sees it now (undefined while nothing is activated). */
async function served(opa: RunningOpa): Promise<string | undefined> {
  const { status, body } = await opa.get('/v1/data/cipa/demo/version');
  if (status !== 200) throw new Error(`opa answered ${status}`);
  return (body as { result?: string }).result;
}

/** Rewrites a signed bundle's policy without re-signing it: what an attacker on the path could serve. */
async function tamper(bytes: Uint8Array, newPolicy: string): Promise<Uint8Array> {
  const dir = tmp('cipa-tamper-');
  const input = join(dir, 'in.tar.gz');
  const tree = join(dir, 'tree');
  mkdirSync(tree);
  writeFileSync(input, bytes);
  const names: string[] = [];
  await tar.x({ file: input, cwd: tree, onReadEntry: (entry) => names.push(entry.path.replace(/^\/+/, '')) });
  expect(names).toContain('demo.rego');
  expect(names).toContain('.signatures.json');
  writeFileSync(join(tree, 'demo.rego'), newPolicy);
  const output = join(dir, 'out.tar.gz');
  await tar.c({ gzip: true, file: output, cwd: tree, portable: true }, names);
  const buffer = readFileSync(output);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

describe('a real OPA server pulls bundles from cipa serve', () => {
  let server: RunningBundleServer;
  let registry: DirectoryRegistry;
  const opas: RunningOpa[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    registry = new DirectoryRegistry(tmp('cipa-e2e-reg-'));
    server = await startBundleServer({ registry: registry.root, port: 0, log: (l) => requests.push(l) });
  });
  afterAll(async () => {
    for (const opa of opas) opa.stop();
    killAll();
    await server?.close();
  });

  it('activates the channel\'s bundle, uses 304s while it is unchanged, and switches when the channel moves', async () => {
    await registry.publish(opaBuild({ 'demo.rego': policy('1') }, { revision: '1.0.0' }), { name: 'demo', version: '1.0.0', channel: 'stable' });
    const v2 = opaBuild({ 'demo.rego': policy('2') }, { revision: '2.0.0' });
    await registry.publish(v2, { name: 'demo', version: '2.0.0' });
    const opa = await startOpa({
      services: { cipa: { url: server.url } },
      bundles: { demo: { service: 'cipa', resource: 'bundles/demo/stable', polling: { min_delay_seconds: 1, max_delay_seconds: 1 } } },
    });
    opas.push(opa);
    expect(await waitUntil(async () => served(opa), 30_000, 'OPA to activate demo@1.0.0')).toBe('1');
    const revision = await opa.get('/v1/data/system/bundles/demo/manifest/revision');
    expect((revision.body as { result?: string }).result).toBe('1.0.0');
    // While the channel stays put OPA polls with If-None-Match and gets 304s.
    await waitUntil(async () => (requests.some((l) => l.startsWith('GET /bundles/demo/stable 304')) ? true : undefined), 30_000, 'a 304 poll');

    await registry.setChannel('demo', 'stable', '2.0.0');
    expect(await waitUntil(async () => ((await served(opa)) === '2' ? '2' : undefined), 30_000, 'OPA to switch to demo@2.0.0')).toBe('2');
    expect(requests).toContain(`GET /bundles/demo/stable 200 ${sha256Digest(v2)}`);
    const health = await opa.get('/health?bundles');
    expect(health.status).toBe(200);
  });

  it('long polling: OPA holds a request open and gets the moved channel as soon as it moves', async () => {
    const a = opaBuild({ 'demo.rego': policy('lp-1') }, { revision: 'lp-1' });
    const b = opaBuild({ 'demo.rego': policy('lp-2') }, { revision: 'lp-2' });
    await registry.publish(a, { name: 'lp', version: '1.0.0', channel: 'stable' });
    await registry.publish(b, { name: 'lp', version: '2.0.0' });
    const opa = await startOpa({
      services: { cipa: { url: server.url } },
      bundles: { lp: { service: 'cipa', resource: 'bundles/lp/stable', polling: { long_polling_timeout_seconds: 30 } } },
    });
    opas.push(opa);
    expect(await waitUntil(async () => served(opa), 30_000, 'OPA to activate lp@1.0.0')).toBe('lp-1');
    // OPA saw the long-poll media type and now waits inside a held request.
    await waitUntil(async () => (server.waiting() > 0 ? true : undefined), 30_000, 'OPA to hold a long poll on cipa serve');
    await registry.setChannel('lp', 'stable', '2.0.0');
    expect(await waitUntil(async () => ((await served(opa)) === 'lp-2' ? 'lp-2' : undefined), 30_000, 'OPA to activate lp@2.0.0')).toBe('lp-2');
    expect(requests).toContain(`GET /bundles/lp/stable 200 ${sha256Digest(b)} after long-poll hold`);
  });

  it('with signing configured, OPA refuses a tampered bundle and keeps serving the last good one', async () => {
    const keys = rsaKeys();
    await registry.publish(opaBuild({ 'demo.rego': policy('signed-1') }, { revision: 's1', signingKey: keys.privatePath }), { name: 'signed', version: '1.0.0', channel: 'prod' });
    const good2 = opaBuild({ 'demo.rego': policy('signed-2') }, { revision: 's2', signingKey: keys.privatePath });
    const forged = await tamper(good2, policy('forged'));
    await registry.publish(forged, { name: 'signed', version: '2.0.0' });
    await registry.publish(good2, { name: 'signed', version: '3.0.0' });
    const opa = await startOpa({
      services: { cipa: { url: server.url } },
      keys: { release: { algorithm: 'RS256', key: keys.publicPem } },
      bundles: {
        signed: {
          service: 'cipa',
          resource: 'bundles/signed/prod',
          polling: { min_delay_seconds: 1, max_delay_seconds: 1 },
          signing: { keyid: 'release' },
        },
      },
    });
    opas.push(opa);
    expect(await waitUntil(async () => served(opa), 30_000, 'OPA to activate signed@1.0.0')).toBe('signed-1');

    await registry.setChannel('signed', 'prod', '2.0.0');
    // OPA downloads the forged bundle (cipa serves what the registry holds) and must reject it.
    await waitUntil(async () => (requests.includes(`GET /bundles/signed/prod 200 ${sha256Digest(forged)}`) ? true : undefined), 30_000, 'OPA to download the forged bundle');
    const rejection = await waitUntil(async () => opa.logs().split('\n').find((l) => /"level":"error"/.test(l) && /signed/.test(l) && /demo\.rego.*digest mismatch|digest mismatch.*demo\.rego/i.test(l)), 30_000, 'OPA to log the verification failure');
    expect(rejection).toMatch(/signed/);
    if (process.env.CIPA_TEST_VERBOSE) process.stderr.write(`${rejection}\n`);
    expect(await served(opa)).toBe('signed-1');
    const status = await opa.get('/health?bundles');
    expect(status.status).toBe(200);

    // The next good, signed bundle is still taken: OPA kept polling and only refused the forgery.
    await registry.setChannel('signed', 'prod', '3.0.0');
    expect(await waitUntil(async () => ((await served(opa)) === 'signed-2' ? 'signed-2' : undefined), 30_000, 'OPA to activate signed@3.0.0')).toBe('signed-2');
    expect(opa.logs()).not.toContain('"forged"');
  });

  it('bundles built and signed by cipa\'s own src/bundle (ES256, scoped) are activated; a tampered one is refused', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const enc = (text: string) => new TextEncoder().encode(text);
    const files = (version: string) => new Map<string, Uint8Array>([
      ['.manifest', enc(JSON.stringify({ revision: version, roots: ['cipa'], metadata: { name: 'own', version } }))],
      ['cipa/demo/demo.rego', enc(policy(`own-${version}`))],
    ]);
    const signed = async (version: string) =>
      signBundle(files(version), { key: { id: 'cipa-release', algorithm: 'ES256', key: privateKey }, scope: 'prod' });
    const good = new Uint8Array(bundleBytes(await signed('1.0.0')));
    const tamperedFiles = await signed('1.1.0');
    tamperedFiles.set('cipa/demo/demo.rego', enc(policy('own-forged')));
    const forged = new Uint8Array(bundleBytes(tamperedFiles));
    await registry.publish(good, { name: 'own', version: '1.0.0', channel: 'prod' });
    await registry.publish(forged, { name: 'own', version: '1.1.0' });
    const opa = await startOpa({
      services: { cipa: { url: server.url } },
      keys: { 'cipa-release': { algorithm: 'ES256', key: publicKey.export({ type: 'spki', format: 'pem' }).toString(), scope: 'prod' } },
      bundles: {
        own: { service: 'cipa', resource: 'bundles/own/prod', polling: { min_delay_seconds: 1, max_delay_seconds: 1 }, signing: { keyid: 'cipa-release', scope: 'prod' } },
      },
    });
    opas.push(opa);
    expect(await waitUntil(async () => served(opa), 30_000, 'OPA to activate own@1.0.0 signed by cipa')).toBe('own-1.0.0');
    await registry.setChannel('own', 'prod', '1.1.0');
    await waitUntil(async () => opa.logs().split('\n').find((l) => /"level":"error"/.test(l) && /demo\.rego.*digest mismatch/.test(l)), 30_000, 'OPA to reject the tampered cipa bundle');
    expect(await served(opa)).toBe('own-1.0.0');
  });
});
