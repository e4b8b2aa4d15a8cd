import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JWS_ALGORITHMS } from '../../src/bundle/keys.js';
import { readBundle } from '../../src/bundle/read.js';
import { writeBundle } from '../../src/bundle/write.js';
import { SignatureError } from '../../src/errors.js';
import { inspectBundleRef, verifyBundleRef } from '../../src/release/inspect.js';
import { keyIdFromPath, signBundleFile } from '../../src/release/sign.js';
import { verifyOptions } from '../../src/release/trust.js';
import { scratch } from './fixtures.js';

const dir = scratch('cipa-release-sign-');
const enc = (text: string) => new TextEncoder().encode(text);

async function sampleBundle(name: string): Promise<string> {
  const path = join(dir, name);
  await writeBundle(new Map([
    ['.manifest', enc(JSON.stringify({ revision: 'r1', roots: ['cipa'], rego_version: 1, metadata: { name: 'demo', version: '1.2.3' } }))],
    ['cipa/demo/demo.rego', enc('package cipa.demo\n\nallow := true\n')],
    ['data.json', enc('{"cipa": {"demo": {"x": 1}}}')],
  ]), path);
  return path;
}

/** A key pair (or secret) for an algorithm: files <id>.pem / <id>.pub.pem, or <id>.hmac. */
function keysFor(alg: string): { sign: { keyFile?: string; hmacSecret?: string }; trust: { keyFiles?: string[]; secretFiles?: string[] }; id: string } {
  const id = `k-${alg.toLowerCase()}`;
  if (alg.startsWith('HS')) {
    const secret = join(dir, `${id}.hmac`);
    writeFileSync(secret, `secret for ${alg} that is long enough for its hash`);
    return { sign: { hmacSecret: secret }, trust: { secretFiles: [secret] }, id };
  }
  const pair = alg.startsWith('ES')
    ? generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg as 'ES256'] })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(dir, `${id}.pem`), pair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, `${id}.pub.pem`), pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return { sign: { keyFile: join(dir, `${id}.pem`) }, trust: { keyFiles: [join(dir, `${id}.pub.pem`)] }, id };
}

describe('signBundleFile and verifyBundleRef', () => {
  it.each([...JWS_ALGORITHMS])('%s: signs in place with the key id from the file name; verifies; a flipped byte is refused', async (alg) => {
    const keys = keysFor(alg);
    const path = await sampleBundle(`${alg}.tar.gz`);
    const signed = await signBundleFile({ input: path, ...keys.sign, algorithm: alg, scope: 'prod' });
    expect(signed).toEqual({ out: path, identity: { name: 'demo', version: '1.2.3' }, keyId: keys.id, algorithm: alg, scope: 'prod', files: 3, replaced: false });
    const trust = { ...keys.trust, scope: 'prod', algorithm: alg };
    const verified = await verifyBundleRef(path, await verifyOptions(trust, true));
    expect(verified).toMatchObject({ name: 'demo', version: '1.2.3', keyId: keys.id, algorithm: alg, scope: 'prod' });
    expect(verified.files.map((f) => f.name)).toEqual(['.manifest', 'cipa/demo/demo.rego', 'data.json']);

    const bundle = await readBundle(path);
    const files = new Map(bundle.files);
    files.set('cipa/demo/demo.rego', Buffer.from('package cipa.demo\n\nallow := false\n'));
    const forged = join(dir, `${alg}-forged.tar.gz`);
    await writeBundle(files, forged);
    await expect(verifyBundleRef(forged, await verifyOptions(trust, true))).rejects.toThrow(`${forged}: cipa/demo/demo.rego: digest mismatch`);
    // the verifier's algorithm decides, never the token's: a key trusted for another algorithm of its family refuses it
    const other = { RS: 'PS256', PS: 'RS256', HS: 'HS384', ES: undefined }[alg.slice(0, 2) as 'RS'];
    if (other !== undefined && other !== alg) {
      await expect(verifyBundleRef(path, await verifyOptions({ ...trust, algorithm: other as typeof alg }, true))).rejects.toThrow(`JWT algorithm ${alg} does not match key '${keys.id}' (${other})`);
    }
  });

  it('re-signing replaces the signature; --out leaves the input alone; RS256 is reproducible', async () => {
    const keys = keysFor('RS256');
    const path = await sampleBundle('resign.tar.gz');
    const original = readFileSync(path);
    const a = await signBundleFile({ input: path, ...keys.sign, out: join(dir, 'a.tar.gz') });
    expect(readFileSync(path).equals(original)).toBe(true);
    const b = await signBundleFile({ input: a.out, ...keys.sign, keyId: 'rotated', out: join(dir, 'b.tar.gz') });
    expect(b.replaced).toBe(true);
    expect((await inspectBundleRef(b.out)).signature).toEqual({ state: 'signed', keyId: 'rotated', algorithm: 'RS256', scope: undefined, claim: { name: 'demo', version: '1.2.3' }, files: 3 });
    await signBundleFile({ input: path, ...keys.sign, out: join(dir, 'c.tar.gz') });
    expect(readFileSync(join(dir, 'c.tar.gz')).equals(readFileSync(a.out))).toBe(true);
  });

  it('refuses bad requests before touching the bundle', async () => {
    const path = await sampleBundle('bad.tar.gz');
    const rsa = keysFor('RS384');
    await expect(signBundleFile({ input: path })).rejects.toThrow('give exactly one of --key <private.pem> and --hmac-secret <file>');
    await expect(signBundleFile({ input: path, ...rsa.sign, algorithm: 'ES256' })).rejects.toThrow(/ES256 needs an EC key/);
    await expect(signBundleFile({ input: path, ...rsa.sign, algorithm: 'none' })).rejects.toThrow(/--alg none is not supported/);
    await expect(signBundleFile({ input: path, keyFile: join(dir, `${rsa.id}.pub.pem`) })).rejects.toThrow(/not an unencrypted PEM private key/);
    const unnamed = join(dir, 'unnamed.tar.gz');
    await writeBundle(new Map([['x.rego', enc('package x\n')]]), unnamed);
    await expect(signBundleFile({ input: unnamed, ...rsa.sign })).rejects.toThrow(/cannot sign a bundle without \.manifest|no metadata\.name and metadata\.version/);
    await expect(verifyBundleRef(path, await verifyOptions(rsa.trust, true))).rejects.toBeInstanceOf(SignatureError);
    await expect(verifyOptions({}, true)).rejects.toThrow(/no verification key given/);
  });

  it('key ids come from the file name up to its first dot', () => {
    expect(keyIdFromPath('/keys/release.pem')).toBe('release');
    expect(keyIdFromPath('release.pub.pem')).toBe('release');
    expect(keyIdFromPath('ci.hmac')).toBe('ci');
    expect(keyIdFromPath('noext')).toBe('noext');
  });
});
