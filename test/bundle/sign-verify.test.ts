import { constants, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BundleError, InputError, SignatureError } from '../../src/errors.js';
import { JWS_ALGORITHMS, keyRing, type JwsAlgorithm, type VerificationKey } from '../../src/bundle/keys.js';
import { readBundleBytes, type Bundle } from '../../src/bundle/read.js';
import { fileHashes, signBundle, signFiles, signPayload, signaturePayload, signaturesFileBytes, type SignOptions } from '../../src/bundle/sign.js';
import { checkNotDowngrade, verifyBundle, type VerifyOptions } from '../../src/bundle/verify.js';
import { bundleBytes } from '../../src/bundle/write.js';
import { decodeJws, enc, opa, sampleFiles, testKey, tmp, type TestKeyPair } from './helpers.js';

const keyDir = tmp('cipa-sv-keys-');
const keys = new Map<JwsAlgorithm, TestKeyPair>(JWS_ALGORITHMS.map((alg) => [alg, testKey(alg, `k-${alg.toLowerCase()}`, keyDir)]));
const rs = keys.get('RS256')!;

async function asBundle(files: Map<string, Uint8Array>): Promise<Bundle> {
  return readBundleBytes(bundleBytes(files), 'b.tar.gz');
}

async function signed(options: Partial<SignOptions> = {}, files = sampleFiles()): Promise<Map<string, Uint8Array>> {
  return signBundle(files, { key: rs.signing, ...options });
}

const trust = (...pairs: VerificationKey[]) => keyRing(pairs);

function jwtOf(files: Map<string, Uint8Array>): string {
  return (JSON.parse(Buffer.from(files.get('.signatures.json')!).toString()) as { signatures: string[] }).signatures[0]!;
}

describe('signBundle writes .signatures.json as OPA does', () => {
  it.each(JWS_ALGORITHMS)('%s: signs and verifies', async (alg) => {
    const pair = keys.get(alg)!;
    const files = await signBundle(sampleFiles(), { key: pair.signing, scope: 'prod' });
    const { header, payload } = decodeJws(jwtOf(files));
    expect(header).toEqual({ alg, typ: 'JWT', kid: pair.signing.id });
    expect(payload.scope).toBe('prod');
    expect(payload.keyid).toBe(pair.signing.id);
    expect(payload.cipa).toEqual({ name: 'demo', version: '1.2.3' });
    const result = await verifyBundle(await asBundle(files), { keys: trust(pair.verification), scope: 'prod' });
    expect(result).toMatchObject({ signed: true, keyId: pair.signing.id, algorithm: alg, scope: 'prod', identity: { name: 'demo', version: '1.2.3' } });
  });

  it('lists every file but .signatures.json, by path without a leading /, with SHA-256 by default', async () => {
    const files = await signed();
    const { payload } = decodeJws(jwtOf(files));
    expect(payload.files).toEqual(fileHashes(sampleFiles()));
    expect((payload.files as Array<{ name: string; algorithm: string }>).map((f) => [f.name, f.algorithm])).toEqual([
      ['.manifest', 'SHA-256'],
      ['demo/config/data.json', 'SHA-256'],
      ['demo/policy.rego', 'SHA-256'],
    ]);
    expect(payload.iat).toBeUndefined();
  });

  it('lays the file out like OPA (one-space indent) and replaces an older signature', async () => {
    const once = await signed();
    const twice = await signBundle(once, { key: keys.get('ES256')!.signing });
    expect(Buffer.from(twice.get('.signatures.json')!).toString()).toMatch(/^\{\n "signatures": \[\n  "[\w-]+\.[\w-]+\.[\w-]+"\n \]\n\}$/);
    expect(decodeJws(jwtOf(twice)).header.alg).toBe('ES256');
    expect(signaturesFileBytes('a.b.c').toString()).toBe('{\n "signatures": [\n  "a.b.c"\n ]\n}');
  });

  it('RS256 and HS256 signatures of the same files are identical when no iat is set', async () => {
    for (const alg of ['RS256', 'HS256'] as const) {
      const a = await signFiles(sampleFiles(), { key: keys.get(alg)!.signing });
      const b = await signFiles(sampleFiles(), { key: keys.get(alg)!.signing });
      expect(a).toBe(b);
    }
  });

  it('writes ES* signatures as raw R||S (JWS), not DER', async () => {
    for (const [alg, size] of [['ES256', 64], ['ES384', 96], ['ES512', 132]] as const) {
      const jwt = await signFiles(sampleFiles(), { key: keys.get(alg)!.signing });
      expect(Buffer.from(jwt.split('.')[2]!, 'base64url').length).toBe(size);
    }
  });

  it('writes PS* signatures with salt = hash length (RFC 7518), which a strict verifier accepts', async () => {
    const jwt = await signFiles(sampleFiles(), { key: keys.get('PS256')!.signing });
    const [h, p, s] = jwt.split('.');
    const ok = nodeVerify(
      'sha256',
      enc(`${h}.${p}`),
      { key: keys.get('PS256')!.verification.key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      new Uint8Array(Buffer.from(s!, 'base64url')),
    );
    expect(ok).toBe(true);
  });

  it('adds iat and iss only when asked', async () => {
    const { payload } = decodeJws(await signFiles(sampleFiles(), { key: rs.signing, issuedAt: 1_700_000_000, iss: 'ci' }));
    expect(payload).toMatchObject({ iat: 1_700_000_000, iss: 'ci' });
  });

  it('refuses to sign a bundle without a manifest identity', async () => {
    const noManifest = new Map([['a.rego', enc('package a')]]);
    await expect(signBundle(noManifest, { key: rs.signing })).rejects.toThrow(/cannot sign a bundle without \.manifest/);
    const anonymous = sampleFiles({ '.manifest': '{"revision":"x"}' });
    await expect(signBundle(anonymous, { key: rs.signing })).rejects.toThrow(/manifest has no metadata\.name and metadata\.version/);
  });

  it('refuses a signing key that does not fit its algorithm', async () => {
    await expect(signFiles(sampleFiles(), { key: { ...rs.signing, algorithm: 'ES256' } })).rejects.toThrow(/ES256 needs an EC key/);
  });
});

/** Builds a tampered bundle from a good signed one. */
type Tamper = (files: Map<string, Uint8Array>) => Promise<Map<string, Uint8Array>> | Map<string, Uint8Array>;

function withSignatures(files: Map<string, Uint8Array>, body: unknown): Map<string, Uint8Array> {
  const out = new Map(files);
  out.set('.signatures.json', enc(JSON.stringify(body)));
  return out;
}

describe('verifyBundle refuses', () => {
  const cases: Array<[string, Tamper, Partial<VerifyOptions>, RegExp]> = [
    ['a changed byte in a policy', (f) => new Map(f).set('demo/policy.rego', enc('package demo\n\nallow := true\n')), {}, /demo\/policy\.rego: digest mismatch \(want: [0-9a-f]{64}, got: [0-9a-f]{64}\)/],
    ['a changed value in data', (f) => new Map(f).set('demo/config/data.json', enc('{"greeting": "hullo", "limits": {"max": 1.0, "big": 1e3}}')), {}, /demo\/config\/data\.json: digest mismatch/],
    ['a changed number literal (1.0 → 1)', (f) => new Map(f).set('demo/config/data.json', enc('{"greeting": "hello", "limits": {"max": 1, "big": 1e3}}')), {}, /digest mismatch/],
    ['an added file', (f) => new Map(f).set('demo/extra.rego', enc('package demo.extra')), {}, /file demo\/extra\.rego not included in bundle signature/],
    ['a removed file', (f) => { const m = new Map(f); m.delete('demo/policy.rego'); return m; }, {}, /file\(s\) \[demo\/policy\.rego\] specified in bundle signatures but not found in the target bundle/],
    ['a changed manifest', (f) => new Map(f).set('.manifest', enc(JSON.stringify({ revision: 'r1', roots: ['demo'], rego_version: 1, metadata: { name: 'demo', version: '9.9.9' } }))), {}, /\.manifest: digest mismatch/],
    ['a signature by another key under the same id', async (f) => signBundle(f, { key: { ...keys.get('RS512')!.signing, id: rs.signing.id!, algorithm: 'RS256' } }), {}, /failed to verify JWT signature with key 'k-rs256'/],
    ['an unknown key id', async (f) => signBundle(f, { key: { ...rs.signing, id: 'stranger' } }), {}, /verification key corresponding to ID stranger not found/],
    ['a wrong scope', async (f) => signBundle(f, { key: rs.signing, scope: 'staging' }), { scope: 'prod' }, /scope mismatch \(signed "staging", expected "prod"\)/],
    ['a scope when none is expected', async (f) => signBundle(f, { key: rs.signing, scope: 'prod' }), {}, /scope mismatch/],
    ['a missing scope when the key requires one', (f) => f, { keys: trust({ ...rs.verification, scope: 'prod' }) }, /scope mismatch \(signed "", expected "prod"\)/],
    ['an unsigned bundle when keys are configured', (f) => { const m = new Map(f); m.delete('.signatures.json'); return m; }, {}, /bundle missing \.signatures\.json file/],
    ['no JWT', (f) => withSignatures(f, { signatures: [] }), {}, /missing JWT \(expected exactly one\)/],
    ['two JWTs', (f) => withSignatures(f, { signatures: [jwtOf(f), jwtOf(f)] }), {}, /multiple JWTs not supported/],
    ['a plugin field', (f) => withSignatures(f, { signatures: [jwtOf(f)], plugin: 'custom' }), {}, /signature plugin 'custom' is not supported/],
    ['a token whose alg differs from the key (RS256 key, PS256 token)', async (f) => signBundle(f, { key: { ...rs.signing, algorithm: 'PS256' } }), {}, /JWT algorithm PS256 does not match key 'k-rs256' \(RS256\)/],
    ['alg none', (f) => withSignatures(f, { signatures: [`${Buffer.from('{"alg":"none","kid":"k-rs256"}').toString('base64url')}.${jwtOf(f).split('.')[1]}.`] }), {}, /JWT algorithm none does not match/],
    ['a kid that differs from the pinned key id', (f) => f, { keyId: 'other', keys: trust(rs.verification, { ...rs.verification, id: 'other' }) }, /signed with key 'k-rs256', but key 'other' is required/],
    ['a token without any key id and no pin', async (f) => signBundle(f, { key: { algorithm: 'RS256', key: rs.signing.key } }), {}, /verification key ID is empty/],
    ['MD5 file hashes', async (f) => signBundle(f, { key: rs.signing, hashAlgorithm: 'MD5' }), {}, /hashed with MD5, which cipa does not accept/],
    ['SHA-1 file hashes', async (f) => signBundle(f, { key: rs.signing, hashAlgorithm: 'SHA-1' }), {}, /hashed with SHA-1/],
    ['a garbage token', (f) => withSignatures(f, { signatures: ['not-a-jwt'] }), {}, /not a compact JWS/],
  ];

  it.each(cases)('%s', async (_name, tamper, options, message) => {
    const bundle = await asBundle(await tamper(await signed()));
    const attempt = verifyBundle(bundle, { keys: trust(rs.verification), ...options });
    await expect(attempt).rejects.toThrow(SignatureError);
    await expect(verifyBundle(bundle, { keys: trust(rs.verification), ...options })).rejects.toThrow(message);
  });

  it('a signature moved onto another bundle name or version (cipa claim ≠ manifest)', async () => {
    const files = sampleFiles();
    const payload = signaturePayload(files, { keyId: rs.signing.id! });
    payload.cipa = { name: 'demo', version: '1.2.2' };
    const forged = new Map(files).set('.signatures.json', signaturesFileBytes(await signPayload(payload, rs.signing)));
    await expect(verifyBundle(await asBundle(forged), { keys: trust(rs.verification) })).rejects.toThrow(
      /signature is for bundle demo@1\.2\.2, but the manifest says demo@1\.2\.3/,
    );
  });

  it('a signature without the cipa claim, unless identity is not required (OPA-compatible mode)', async () => {
    const files = sampleFiles();
    const payload = signaturePayload(files, { keyId: rs.signing.id! });
    delete payload.cipa;
    const opaStyle = new Map(files).set('.signatures.json', signaturesFileBytes(await signPayload(payload, rs.signing)));
    const bundle = await asBundle(opaStyle);
    await expect(verifyBundle(bundle, { keys: trust(rs.verification) })).rejects.toThrow(/carries no cipa claim/);
    await expect(verifyBundle(bundle, { keys: trust(rs.verification), requireIdentity: false })).resolves.toMatchObject({ signed: true });
  });

  it('a file listed twice or an uppercase hash in the payload', async () => {
    const files = sampleFiles();
    const payload = signaturePayload(files, { keyId: rs.signing.id! });
    payload.files.push(payload.files[0]!);
    let bundle = await asBundle(new Map(files).set('.signatures.json', signaturesFileBytes(await signPayload(payload, rs.signing))));
    await expect(verifyBundle(bundle, { keys: trust(rs.verification) })).rejects.toThrow(/file \.manifest is listed twice/);
    const upper = signaturePayload(files, { keyId: rs.signing.id! });
    upper.files[0]!.hash = upper.files[0]!.hash.toUpperCase();
    bundle = await asBundle(new Map(files).set('.signatures.json', signaturesFileBytes(await signPayload(upper, rs.signing))));
    await expect(verifyBundle(bundle, { keys: trust(rs.verification) })).rejects.toThrow(/signed hash is not lowercase hex/);
  });

  it('a signed bundle when no key is configured', async () => {
    await expect(verifyBundle(await asBundle(await signed()), { keys: new Map() })).rejects.toThrow(/verification key not provided/);
  });
});

describe('property: any change to any signed byte is caught', () => {
  it('signs random bundles, then flips one byte of one file: verify refuses with a digest mismatch', async () => {
    const hs = keys.get('HS256')!;
    const segment = fc.stringMatching(/^[a-z0-9_-]{1,10}$/);
    const name = fc.array(segment, { minLength: 1, maxLength: 3 }).map((p) => `${p.join('/')}.rego`);
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(name, fc.uint8Array({ minLength: 1, maxLength: 500 }), { minKeys: 1, maxKeys: 6 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        async (record, pick, at, xor) => {
          const files = new Map<string, Uint8Array>([['.manifest', sampleFiles().get('.manifest')!], ...Object.entries(record)]);
          const signedFiles = await signBundle(files, { key: hs.signing });
          const ring = trust(hs.verification);
          await expect(verifyBundle(await asBundle(signedFiles), { keys: ring })).resolves.toMatchObject({ signed: true });
          const names = Object.keys(record);
          const victim = names[pick % names.length]!;
          const bytes = new Uint8Array(signedFiles.get(victim)!);
          bytes[at % bytes.length] = bytes[at % bytes.length]! ^ xor;
          const tampered = new Map(signedFiles).set(victim, bytes);
          await expect(verifyBundle(await asBundle(tampered), { keys: ring })).rejects.toThrow(`${victim}: digest mismatch`);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('verifyBundle accepts', () => {
  it('an unsigned bundle when no key is configured (and says so)', async () => {
    await expect(verifyBundle(await asBundle(sampleFiles()), { keys: new Map() })).resolves.toEqual({ signed: false, files: [] });
  });

  it('reformatted JSON data (OPA hashes the parsed document, not the bytes)', async () => {
    const files = await signed();
    files.set('demo/config/data.json', enc('{\n  "limits": { "big": 1e3, "max": 1.0 },\n  "greeting": "hello"\n}\n'));
    await expect(verifyBundle(await asBundle(files), { keys: trust(rs.verification) })).resolves.toMatchObject({ signed: true });
  });

  it('the right key among several, selected by kid (rotation)', async () => {
    const ring = trust(keys.get('ES256')!.verification, rs.verification, keys.get('HS256')!.verification);
    for (const alg of ['ES256', 'RS256', 'HS256'] as const) {
      const files = await signBundle(sampleFiles(), { key: keys.get(alg)!.signing });
      await expect(verifyBundle(await asBundle(files), { keys: ring })).resolves.toMatchObject({ keyId: keys.get(alg)!.signing.id });
    }
  });

  it('a kid-less token when the key id is pinned, and the key scope when no scope is given', async () => {
    const files = await signed({ key: { algorithm: 'RS256', key: rs.signing.key }, scope: 'prod' });
    await expect(verifyBundle(await asBundle(files), { keys: trust({ ...rs.verification, scope: 'prod' }), keyId: rs.signing.id! })).resolves.toMatchObject({ scope: 'prod' });
  });

  it('the plugin field "_default" that opa build writes (stock OPA\'s own verifier)', async () => {
    const files = await signed();
    const withPlugin = withSignatures(files, { signatures: [jwtOf(files)], plugin: '_default' });
    await expect(verifyBundle(await asBundle(withPlugin), { keys: trust(rs.verification) })).resolves.toMatchObject({ signed: true });
  });

  it('MD5 hashes when the caller explicitly allows them (OPA does)', async () => {
    const files = await signed({ hashAlgorithm: 'MD5' });
    await expect(verifyBundle(await asBundle(files), { keys: trust(rs.verification), hashAlgorithms: ['MD5'] })).resolves.toMatchObject({ signed: true });
  });
});

describe('a known OPA-format token (HS256, secret "secret", kid foo, scope write; research note §2.9)', () => {
  const jwt =
    'eyJhbGciOiJIUzI1NiIsImtpZCI6ImZvbyIsInR5cCI6IkpXVCJ9.eyJmaWxlcyI6W3sibmFtZSI6Ii5tYW5pZmVzdCIsImhhc2giOiI1MDdhMmMzOGExNDQxZGI1OGQyY2I4Nzk4MmM0MmFhOTFhNDM0MmVmNDIyYTZiNTQyZWRkZWJlZWY2ZjA0MTJmIiwiYWxnb3JpdGhtIjoiU0hBLTI1NiJ9LHsibmFtZSI6ImEvYi9jL2RhdGEuanNvbiIsImhhc2giOiJhNjE1ZWVhZWUyMWRlNTE3OWRlMDgwZGU4YzMwNTJjOGRhOTAxMTM4NDA2YmE3MWMzOGMwMzI4NDVmN2Q1NGY0IiwiYWxnb3JpdGhtIjoiU0hBLTI1NiJ9LHsibmFtZSI6Imh0dHAvcG9saWN5L3BvbGljeS5yZWdvIiwiaGFzaCI6ImY2NjQ0NjFlMzAzYjM3YzIwYzVlMGJlMjkwMDg4MTY3OGNkZjhlODYwYWE0MzNhNWExNGQ0OTRiYTNjNjY2NDkiLCJhbGdvcml0aG0iOiJTSEEtMjU2In1dLCJpYXQiOjE1OTIyNDgwMjcsImlzcyI6IkpXVFNlcnZpY2UiLCJzY29wZSI6IndyaXRlIn0.XgJUTxzmPWajTajwelSgMwfRQ8jOkjg31xeWXQ5D7do';
  const files = () =>
    new Map<string, Uint8Array>([
      ['.manifest', enc('{"revision": "quickbrownfaux"}')],
      ['a/b/c/data.json', enc('[1,2,3]')],
      ['http/policy/policy.rego', enc('package example')],
      ['.signatures.json', enc(JSON.stringify({ signatures: [jwt] }))],
    ]);
  const foo: VerificationKey = { id: 'foo', algorithm: 'HS256', key: enc('secret') };

  it('verifies in OPA-compatible mode (it has no cipa claim) and the real opa accepts the same bytes', async () => {
    const bundle = await asBundle(files());
    await expect(verifyBundle(bundle, { keys: trust(foo), scope: 'write', requireIdentity: false })).resolves.toMatchObject({ keyId: 'foo', scope: 'write' });
    await expect(verifyBundle(bundle, { keys: trust({ ...foo, key: enc('Secret') }), scope: 'write', requireIdentity: false })).rejects.toThrow(/failed to verify/);
    const dir = tmp('cipa-known-');
    const path = join(dir, 'known.tar.gz');
    writeFileSync(path, bundleBytes(files()));
    const r = opa(['build', '-b', path, '-o', join(dir, 'out.tar.gz'), '--verification-key', 'secret', '--verification-key-id', 'foo', '--signing-alg', 'HS256', '--scope', 'write'], dir);
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('checkNotDowngrade', () => {
  it('records the highest version per bundle and refuses older ones', async () => {
    const state = join(tmp('cipa-rollback-'), 'state', 'versions.json');
    await expect(checkNotDowngrade('demo', '1.2.0', state)).resolves.toEqual({ recorded: true });
    await expect(checkNotDowngrade('demo', '1.10.0', state)).resolves.toEqual({ previous: '1.2.0', recorded: true });
    await expect(checkNotDowngrade('demo', '1.10.0', state)).resolves.toEqual({ previous: '1.10.0', recorded: false });
    await expect(checkNotDowngrade('demo', '1.9.9', state)).rejects.toThrow(SignatureError);
    await expect(checkNotDowngrade('demo', '1.9.9', state)).rejects.toThrow(`demo@1.9.9 is older than 1.10.0, already accepted (${state}): refusing a downgrade`);
    await expect(checkNotDowngrade('other', '0.0.1', state)).resolves.toEqual({ recorded: true });
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ schema: 'cipa.bundle-versions/v1', bundles: { demo: '1.10.0', other: '0.0.1' } });
  });

  it('orders pre-releases by semver and allows a deliberate downgrade without recording it', async () => {
    const state = join(tmp('cipa-rollback-'), 'v.json');
    await checkNotDowngrade('demo', '2.0.0-rc.2', state);
    await expect(checkNotDowngrade('demo', '2.0.0-rc.1', state)).rejects.toThrow(/older than 2\.0\.0-rc\.2/);
    await expect(checkNotDowngrade('demo', '2.0.0', state)).resolves.toMatchObject({ recorded: true });
    await expect(checkNotDowngrade('demo', '1.0.0', state, { allowDowngrade: true })).resolves.toEqual({ previous: '2.0.0', recorded: false });
    await expect(checkNotDowngrade('demo', '1.5.0', state)).rejects.toThrow(/older than 2\.0\.0/);
  });

  it('refuses a non-semver version and a corrupt state file', async () => {
    const dir = tmp('cipa-rollback-');
    await expect(checkNotDowngrade('demo', 'v1', join(dir, 'v.json'))).rejects.toThrow(BundleError);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"bundles": {"demo": "x"}}');
    await expect(checkNotDowngrade('demo', '1.0.0', bad)).rejects.toThrow(InputError);
    await expect(checkNotDowngrade('demo', '1.0.0', bad)).rejects.toThrow(`${bad}: is not a cipa.bundle-versions/v1 state file`);
    writeFileSync(bad, '{');
    await expect(checkNotDowngrade('demo', '1.0.0', bad)).rejects.toThrow(/version state is not valid JSON/);
  });
});
