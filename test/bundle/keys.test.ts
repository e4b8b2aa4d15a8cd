import { KeyObject, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, SignatureError } from '../../src/errors.js';
import {
  checkKeyAlgorithm,
  keyById,
  keyRing,
  loadHmacSecret,
  loadJwks,
  loadKeyDirectory,
  loadPrivateKey,
  loadPublicKey,
  type JwsAlgorithm,
} from '../../src/bundle/keys.js';
import { tmp } from './helpers.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = {
  'P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }),
};

function write(dir: string, name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }).toString();

describe('PEM keys', () => {
  const dir = tmp('cipa-keys-');
  it.each([
    ['RSA (PKIX)', spki(rsa.publicKey), 'RS256'],
    ['RSA (PKCS#1 RSA PUBLIC KEY)', rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 'RS256'],
    ['EC P-256', spki(ec['P-256'].publicKey), 'ES256'],
    ['EC P-384', spki(ec['P-384'].publicKey), 'ES384'],
    ['EC P-521', spki(ec['P-521'].publicKey), 'ES512'],
  ])('loads a %s public key with its default algorithm', async (_name, pem, algorithm) => {
    const key = await loadPublicKey(write(dir, 'release.pem', pem));
    expect(key.id).toBe('release');
    expect(key.algorithm).toBe(algorithm);
    expect(key.key).toBeInstanceOf(KeyObject);
    expect((key.key as KeyObject).type).toBe('public');
  });

  it('takes an explicit id, algorithm and scope', async () => {
    const key = await loadPublicKey(write(dir, 'k.pem', spki(rsa.publicKey)), { id: 'prod-2026', algorithm: 'PS384', scope: 'prod' });
    expect({ id: key.id, algorithm: key.algorithm, scope: key.scope }).toEqual({ id: 'prod-2026', algorithm: 'PS384', scope: 'prod' });
  });

  it.each([
    ['PKCS#8', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'RS256'],
    ['PKCS#1 RSA PRIVATE KEY', rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), 'RS256'],
    ['SEC1 EC PRIVATE KEY', ec['P-256'].privateKey.export({ type: 'sec1', format: 'pem' }).toString(), 'ES256'],
    ['PKCS#8 P-521', ec['P-521'].privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'ES512'],
  ])('loads a %s private key for signing', async (_name, pem, algorithm) => {
    const key = await loadPrivateKey(write(dir, 'signing.pem', pem), { id: 'ci' });
    expect(key.algorithm).toBe(algorithm);
    expect(key.id).toBe('ci');
    expect((key.key as KeyObject).type).toBe('private');
  });

  it('refuses a private key where a public key is expected', async () => {
    const path = write(dir, 'oops.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    await expect(loadPublicKey(path)).rejects.toThrow(`${path}: is a private key; a verification key must be the public key`);
  });

  it('refuses garbage and missing files, naming the file', async () => {
    const path = write(dir, 'garbage.pem', 'not a key');
    await expect(loadPublicKey(path)).rejects.toThrow(InputError);
    await expect(loadPublicKey(path)).rejects.toThrow(/garbage\.pem: not a PEM public key/);
    await expect(loadPrivateKey(join(dir, 'missing.pem'))).rejects.toThrow(/missing\.pem: cannot read key: no such file/);
  });

  it.each<[string, () => KeyObject | Uint8Array, JwsAlgorithm, RegExp]>([
    ['ES256 with a P-384 key', () => ec['P-384'].publicKey, 'ES256', /ES256 needs an EC key on curve P-256/],
    ['RS256 with an EC key', () => ec['P-256'].publicKey, 'RS256', /RS256 needs an RSA key/],
    ['HS256 with an RSA key', () => rsa.publicKey, 'HS256', /HS256 needs an HMAC secret/],
    ['PS256 with a secret', () => new Uint8Array([1, 2, 3]), 'PS256', /needs a PEM or JWK key/],
    ['an empty HMAC secret', () => new Uint8Array(0), 'HS256', /HMAC secret is empty/],
    ['a 1024-bit RSA key', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, 'RS256', /1024 bits, fewer than 2048/],
  ])('refuses %s', (_name, key, algorithm, message) => {
    expect(() => checkKeyAlgorithm(key(), algorithm, 'k.pem')).toThrow(message);
  });
});

describe('HMAC secrets', () => {
  it('uses the file bytes exactly (not trimmed, not base64-decoded), like OPA', async () => {
    const dir = tmp('cipa-hmac-');
    const key = await loadHmacSecret(write(dir, 'shared.hmac', 'c2VjcmV0\n'));
    expect(key.algorithm).toBe('HS256');
    expect(key.id).toBe('shared');
    expect(Buffer.from(key.key as Uint8Array).toString()).toBe('c2VjcmV0\n');
  });
});

describe('key directories and JWKS', () => {
  it('loads <id>.pem, <id>.<ALG>.pem, <id>.hmac and *.jwks.json, skipping hidden files', async () => {
    const dir = tmp('cipa-keydir-');
    write(dir, 'release.pem', spki(ec['P-256'].publicKey));
    write(dir, 'legacy.PS512.pem', spki(rsa.publicKey));
    write(dir, 'shared.HS384.hmac', 'topsecret');
    write(dir, '.DS_Store', 'junk');
    const jwk = ec['P-384'].publicKey.export({ format: 'jwk' });
    write(dir, 'extra.jwks.json', JSON.stringify({ keys: [{ ...jwk, kid: 'rotated-2027' }] }));
    const ring = await loadKeyDirectory(dir);
    expect([...ring.entries()].map(([id, k]) => [id, k.algorithm]).sort()).toEqual([
      ['legacy', 'PS512'],
      ['release', 'ES256'],
      ['rotated-2027', 'ES384'],
      ['shared', 'HS384'],
    ]);
  });

  it.each([
    ['a stray file', { 'README.md': 'hello' }, /README\.md: is not a key file/],
    ['an unknown algorithm in the name', { 'k.XX999.pem': spki(rsa.publicKey) }, /unknown signing algorithm XX999/],
    ['a duplicate id', { 'k.pem': spki(rsa.publicKey), 'k.RS512.pem': spki(rsa.publicKey) }, /key id 'k' is defined more than once/],
    ['no keys at all', {}, /contains no keys/],
  ])('refuses %s', async (_name, files, message) => {
    const dir = tmp('cipa-keydir-');
    for (const [name, text] of Object.entries(files)) write(dir, name, text);
    await expect(loadKeyDirectory(dir)).rejects.toThrow(message);
  });

  it('loads a JWKS with RSA, EC and oct keys', async () => {
    const dir = tmp('cipa-jwks-');
    const path = write(
      dir,
      'keys.jwks.json',
      JSON.stringify({
        keys: [
          { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'r', alg: 'PS256' },
          { ...ec['P-521'].publicKey.export({ format: 'jwk' }), kid: 'e' },
          { kty: 'oct', k: Buffer.from('shh').toString('base64url'), kid: 'h', alg: 'HS512' },
        ],
      }),
    );
    const ring = await loadJwks(path);
    expect(ring.get('r')?.algorithm).toBe('PS256');
    expect(ring.get('e')?.algorithm).toBe('ES512');
    expect(ring.get('h')?.algorithm).toBe('HS512');
    expect(Buffer.from(ring.get('h')!.key as Uint8Array).toString()).toBe('shh');
  });

  it.each([
    ['not a JWKS', { nope: [] }, /is not a JWKS/],
    ['a key without kid', { keys: [{ ...ec['P-256'].publicKey.export({ format: 'jwk' }) }] }, /keys\[0\]: has no kid/],
    ['a private key', { keys: [{ ...ec['P-256'].privateKey.export({ format: 'jwk' }), kid: 'x' }] }, /\(x\) is a private key/],
    ['an unsupported alg', { keys: [{ ...ec['P-256'].publicKey.export({ format: 'jwk' }), kid: 'x', alg: 'EdDSA' }] }, /unsupported alg EdDSA/],
    ['an alg that does not fit the key', { keys: [{ ...ec['P-256'].publicKey.export({ format: 'jwk' }), kid: 'x', alg: 'ES384' }] }, /x/],
  ])('refuses %s', async (_name, content, message) => {
    const dir = tmp('cipa-jwks-');
    mkdirSync(dir, { recursive: true });
    await expect(loadJwks(write(dir, 'k.jwks.json', JSON.stringify(content)))).rejects.toThrow(message);
  });
});

describe('key rings', () => {
  it('finds keys by id and names the trusted ids when one is missing', () => {
    const ring = keyRing([{ id: 'a', algorithm: 'HS256', key: new Uint8Array([1]) }]);
    expect(keyById(ring, 'a', 'b.tar.gz').id).toBe('a');
    expect(() => keyById(ring, 'zz', 'b.tar.gz')).toThrow(SignatureError);
    expect(() => keyById(ring, 'zz', 'b.tar.gz')).toThrow('b.tar.gz: verification key corresponding to ID zz not found');
  });
});
