import { spawnSync } from 'node:child_process';
import { randomBytes, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Digest } from '../../src/registry/digest.js';
import { RegistryError } from '../../src/registry/errors.js';
import { pullOciBundle, pushOciBundle } from '../../src/registry/oci.js';
import { resolveBundleRef } from '../../src/registry/resolve.js';
import { killAll } from '../support/children.js';
import { opaBuild, tmp } from '../support/opa.js';
import { type RunningRegistry, startOciRegistry } from '../support/registry.js';

/**
 * The registry's token authentication (the Docker/OCI token flow) with a real docker-registry: the test runs a token
 * server that checks basic credentials and issues ES256 tokens whose x5c certificate the registry trusts.
 */
describe('OCI with token authentication (docker-registry + a token server)', () => {
  let registry: RunningRegistry;
  let tokens: Server;
  const issued: string[] = [];
  const bundle = opaBuild({ 'demo.rego': 'package cipa.demo\n\nversion := "auth"\n' }, { revision: 'auth' });

  beforeAll(async () => {
    const dir = tmp('cipa-token-');
    const cert = join(dir, 'cert.pem');
    const keyPath = join(dir, 'key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', keyPath, '-out', cert, '-subj', '/CN=cipa-test-token', '-days', '1'], { encoding: 'utf8', timeout: 30_000 });
    if (made.status !== 0) throw new Error(`openssl could not make the token certificate: ${made.stderr}${made.error?.message ?? ''}`);
    const key = createPrivateKey(readFileSync(keyPath));
    const der = readFileSync(cert, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');

    tokens = createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const expected = `Basic ${Buffer.from('cipa:s3cret').toString('base64')}`;
      if (request.headers.authorization !== expected) {
        response.statusCode = 401;
        response.end('{"details":"bad credentials"}');
        return;
      }
      const access = url.searchParams.getAll('scope').map((scope) => {
        const [type, name, actions] = scope.split(':');
        return { type, name, actions: (actions ?? '').split(',') };
      });
      issued.push(...url.searchParams.getAll('scope'));
      const now = Math.floor(Date.now() / 1000);
      new SignJWT({ access })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c: [der] })
        .setIssuer('cipa-test-issuer')
        .setSubject('cipa')
        .setAudience(url.searchParams.get('service') ?? '')
        .setIssuedAt(now)
        .setNotBefore(now - 10)
        .setExpirationTime(now + 300)
        .setJti(randomBytes(8).toString('hex'))
        .sign(key)
        .then((token) => {
          response.setHeader('Content-Type', 'application/json');
          response.end(JSON.stringify({ token, expires_in: 300 }));
        }, (error: Error) => {
          response.statusCode = 500;
          response.end(error.message);
        });
    });
    await new Promise<void>((r) => tokens.listen(0, '127.0.0.1', () => r()));
    const tokenPort = (tokens.address() as AddressInfo).port;
    registry = await startOciRegistry([
      'auth:',
      '  token:',
      `    realm: http://127.0.0.1:${tokenPort}/token`,
      '    service: cipa-test',
      '    issuer: cipa-test-issuer',
      `    rootcertbundle: ${cert}`,
    ].join('\n'));
  });
  afterAll(() => {
    registry?.stop();
    tokens?.close();
    killAll();
  });

  it('refuses anonymous access in one line', async () => {
    const error = await pushOciBundle(`oci://${registry.host}/cipa/private:1.0.0`, bundle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).oneLine()).toMatch(/oci:\/\/127\.0\.0\.1:\d+\/cipa\/private:1\.0\.0: token request to http:\/\/127\.0\.0\.1:\d+ answered 401/);
  });

  /** Issued scopes with their actions sorted: the registry lists the actions of a challenge in no fixed order. */
  const scopes = () =>
    issued.map((scope) => {
      const [type, name, actions] = scope.split(':');
      return `${type}:${name}:${(actions ?? '').split(',').sort().join(',')}`;
    });

  it('pushes and pulls with credentials exchanged for bearer tokens, scoped per action', async () => {
    const ref = `oci://${registry.host}/cipa/private:1.0.0`;
    const pushed = await pushOciBundle(ref, bundle, { username: 'cipa', password: 's3cret' });
    expect(pushed.digest).toBe(sha256Digest(bundle));
    expect(scopes()).toContain('repository:cipa/private:pull,push');
    const pulled = await pullOciBundle(pushed.ref, { username: 'cipa', password: 's3cret' });
    expect(pulled.digest).toBe(sha256Digest(bundle));
    expect(scopes()).toContain('repository:cipa/private:pull');
  });

  it('resolveBundleRef takes credentials from CIPA_OCI_USERNAME / CIPA_OCI_PASSWORD', async () => {
    const ref = `oci://${registry.host}/cipa/private:1.0.0`;
    const saved = { ...process.env };
    process.env.CIPA_OCI_USERNAME = 'cipa';
    process.env.CIPA_OCI_PASSWORD = 's3cret';
    try {
      const resolved = await resolveBundleRef(ref, { cacheDir: tmp('cipa-cache-') });
      expect(resolved.digest).toBe(sha256Digest(bundle));
    } finally {
      process.env = saved;
    }
    await expect(resolveBundleRef(ref, { cacheDir: tmp('cipa-cache-'), oci: {} })).rejects.toThrow(/answered 401/);
  });
});
