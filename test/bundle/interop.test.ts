import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SignatureError } from '../../src/errors.js';
import { keyRing, loadHmacSecret, loadPrivateKey, loadPublicKey, type JwsAlgorithm } from '../../src/bundle/keys.js';
import { readBundle, readBundleBytes } from '../../src/bundle/read.js';
import { signBundle } from '../../src/bundle/sign.js';
import { verifyBundle } from '../../src/bundle/verify.js';
import { bundleBytes, writeBundle } from '../../src/bundle/write.js';
import { locateOpa } from '../../src/opa/locate.js';
import { killAll } from '../support/children.js';
import { decodeJws, enc, opa, sampleFiles, startOpaServer, testKey, tmp, writeTree } from './helpers.js';

/**
 * Interop with the real opa (the pinned v1.22.4): bundles signed by opa verify in cipa, bundles signed by cipa are
 * loaded by `opa run --server -b` with signature verification on, and tampering is refused by both.
 */

afterAll(() => killAll());

const ALL: JwsAlgorithm[] = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512'];
const work = tmp('cipa-interop-');
const claims = { cipa: { name: 'demo', version: '1.2.3' }, scope: 'prod' };

function opaFlags(alg: JwsAlgorithm, keyFile: string, keyId: string, scope?: string): string[] {
  const flags = ['--verification-key', keyFile, '--verification-key-id', keyId, '--signing-alg', alg];
  if (scope !== undefined) flags.push('--scope', scope);
  return flags;
}

/** `opa run --server -b <bundle>` expected to refuse the bundle: opa exits non-zero with the reason on stderr. */
function opaRunRefuses(bundle: string, flags: string[]): string {
  const result = spawnSync(locateOpa().path, ['run', '--server', '--addr', '127.0.0.1:0', ...flags, '-b', bundle], {
    cwd: work,
    encoding: 'utf8',
    timeout: 30_000,
  });
  const output = `${result.stdout}${result.stderr}`;
  expect(result.status, `opa run accepted ${bundle}: ${output}`).not.toBe(0);
  expect(result.status).not.toBeNull();
  return output;
}

describe('bundles signed by opa verify in cipa', () => {
  it.each(['RS256', 'ES256', 'PS256', 'HS256'] as const)('opa build --signing-key (%s), with and without a claims file', async (alg) => {
    const dir = tmp(`cipa-opabuild-${alg}-`);
    const key = testKey(alg, 'release', join(dir, 'keys'));
    writeTree(join(dir, 'src'), sampleFiles());
    const claimsFile = join(dir, 'claims.json');
    writeFileSync(claimsFile, JSON.stringify(claims));

    // Without a claims file opa sets kid and the keyid claim to --verification-key-id.
    const plain = join(dir, 'plain.tar.gz');
    let r = opa(['build', '-b', '.', '-o', plain, '--signing-key', key.signingFile, '--signing-alg', alg, '--verification-key-id', 'release'], join(dir, 'src'));
    expect(r.status, r.stderr).toBe(0);
    const plainBundle = await readBundle(plain);
    const ring = keyRing([key.verification]);
    expect(decodeJws(plainBundle.signatures!.signatures[0]!).header.kid).toBe('release');
    await expect(verifyBundle(plainBundle, { keys: ring, requireIdentity: false })).resolves.toMatchObject({ signed: true, keyId: 'release', algorithm: alg });
    // cipa's strict mode wants the name/version claim, which plain opa signatures lack.
    await expect(verifyBundle(plainBundle, { keys: ring })).rejects.toThrow(/carries no cipa claim/);

    // With a claims file opa writes no kid; the claims carry cipa's identity and the scope: fully verified.
    const withClaims = join(dir, 'claims.tar.gz');
    r = opa(['build', '-b', '.', '-o', withClaims, '--signing-key', key.signingFile, '--signing-alg', alg, '--claims-file', claimsFile], join(dir, 'src'));
    expect(r.status, r.stderr).toBe(0);
    const claimsBundle = await readBundle(withClaims);
    const result = await verifyBundle(claimsBundle, { keys: ring, keyId: 'release', scope: 'prod' });
    expect(result).toMatchObject({ signed: true, scope: 'prod', identity: { name: 'demo', version: '1.2.3' } });
    expect(result.files.map((f) => f.name).sort()).toEqual([...claimsBundle.files.keys()].filter((n) => n !== '.signatures.json').sort());
    await expect(verifyBundle(claimsBundle, { keys: ring, keyId: 'release', scope: 'dev' })).rejects.toThrow(/scope mismatch/);
  });

  it('a signed Wasm bundle from opa build -t wasm reads (manifest wasm entries, policy.wasm) and verifies', async () => {
    const dir = tmp('cipa-opawasm-');
    writeTree(join(dir, 'src'), new Map([['demo/p.rego', enc('package demo\n\nallow if input.ok\n')]]));
    const out = join(dir, 'w.tar.gz');
    const r = opa(['build', '-t', 'wasm', '-e', 'demo/allow', '-b', '.', '-o', out, '--revision', 'r9', '--signing-key', 'wasm-secret', '--signing-alg', 'HS256'], join(dir, 'src'));
    expect(r.status, r.stderr).toBe(0);
    const bundle = await readBundle(out);
    expect(bundle.manifest.wasm).toEqual([{ entrypoint: 'demo/allow', module: '/policy.wasm' }]);
    expect(bundle.files.get('policy.wasm')?.subarray(0, 4).toString('hex')).toBe('0061736d');
    const ring = keyRing([{ id: 'default', algorithm: 'HS256', key: enc('wasm-secret') }]);
    await expect(verifyBundle(bundle, { keys: ring, requireIdentity: false })).resolves.toMatchObject({ keyId: 'default', signed: true });
  });

  it('a cipa bundle re-signed by opa sign (tarball input) verifies in cipa', async () => {
    const dir = tmp('cipa-opasign-');
    const ours = testKey('ES256', 'cipa-key', join(dir, 'keys'));
    const theirs = testKey('RS256', 'opa-key', join(dir, 'keys'));
    const claimsFile = join(dir, 'claims.json');
    writeFileSync(claimsFile, JSON.stringify({ ...claims, keyid: 'opa-key' }));
    const original = join(dir, 'cipa.tar.gz');
    await writeBundle(await signBundle(sampleFiles(), { key: ours.signing, scope: 'prod' }), original);

    const r = opa(['sign', '--bundle', original, '--signing-key', theirs.signingFile, '--signing-alg', 'RS256', '--claims-file', claimsFile, '-o', dir], dir);
    expect(r.status, r.stderr).toBe(0);
    const bundle = await readBundle(original);
    const files = new Map<string, Uint8Array>(bundle.files);
    files.set('.signatures.json', new Uint8Array(readFileSync(join(dir, '.signatures.json'))));
    const resigned = await readBundleBytes(bundleBytes(files), 'resigned.tar.gz');
    // opa names tarball files without the leading slash, exactly as cipa does.
    expect((decodeJws(resigned.signatures!.signatures[0]!).payload.files as Array<{ name: string }>).map((f) => f.name).sort()).toEqual(
      ['.manifest', 'demo/config/data.json', 'demo/policy.rego'],
    );
    await expect(verifyBundle(resigned, { keys: keyRing([theirs.verification]), scope: 'prod' })).resolves.toMatchObject({ keyId: 'opa-key', identity: { version: '1.2.3' } });
    // The old key no longer verifies it.
    await expect(verifyBundle(resigned, { keys: keyRing([{ ...ours.verification, id: 'opa-key' }]), scope: 'prod' })).rejects.toThrow(SignatureError);
  });
});

describe('bundles signed by cipa are loaded by a real OPA server with verification on', () => {
  it.each(ALL)('%s: opa run --server -b accepts it and serves its data (OPA ignores the cipa claim)', async (alg) => {
    const dir = tmp(`cipa-serve-${alg}-`);
    const key = testKey(alg, `release-${alg.toLowerCase()}`, join(dir, 'keys'));
    const bundle = join(dir, 'bundle.tar.gz');
    await writeBundle(await signBundle(sampleFiles(), { key: key.signing, scope: 'prod' }), bundle);
    const server = await startOpaServer([...opaFlags(alg, key.verificationFile, key.signing.id!, 'prod'), '-b', bundle], dir);
    try {
      expect(await server.get('/v1/data/demo/greeting')).toEqual({ status: 200, body: { result: 'hello' } });
      const allow = await fetch(`${server.url}/v1/data/demo/allow`, { method: 'POST', body: JSON.stringify({ input: { ok: true } }) });
      expect(await allow.json()).toEqual({ result: true });
      const system = (await server.get('/v1/data/system/bundles')).body as { result: Record<string, { manifest: { metadata: unknown } }> };
      expect(Object.values(system.result)[0]?.manifest.metadata).toEqual({ name: 'demo', version: '1.2.3' });
    } finally {
      server.stop();
    }
  });

  it('HMAC secrets are the exact file bytes on both sides (a trailing newline included)', async () => {
    const dir = tmp('cipa-hmac-nl-');
    const secretFile = join(dir, 'shared.hmac');
    writeFileSync(secretFile, 'shared-secret\n');
    const key = await loadHmacSecret(secretFile, { id: 'shared' });
    const bundle = join(dir, 'b.tar.gz');
    await writeBundle(await signBundle(sampleFiles(), { key }), bundle);
    const r = opa(['build', '-b', bundle, '-o', join(dir, 'out.tar.gz'), ...opaFlags('HS256', secretFile, 'shared')], dir);
    expect(r.status, r.stderr).toBe(0);
    // …and a secret without the newline is a different key to both.
    const trimmed = join(dir, 'trimmed.hmac');
    writeFileSync(trimmed, 'shared-secret');
    expect(opaRunRefuses(bundle, opaFlags('HS256', trimmed, 'shared'))).toMatch(/invalid HMAC signature/);
    await expect(verifyBundle(await readBundle(bundle), { keys: keyRing([await loadHmacSecret(trimmed, { id: 'shared' })]) })).rejects.toThrow(/failed to verify JWT signature/);
  });
});

describe('tampering is refused by both cipa and opa', () => {
  const dirP = tmp('cipa-tamper-');
  const key = testKey('ES256', 'release', join(dirP, 'keys'));
  const stranger = testKey('ES256', 'release', join(dirP, 'stranger'));

  const tampers: Array<[string, (files: Map<string, Uint8Array>) => Promise<Map<string, Uint8Array>> | Map<string, Uint8Array>, string[], RegExp, RegExp]> = [
    [
      'a changed byte in a policy',
      (f) => new Map(f).set('demo/policy.rego', enc(Buffer.from(f.get('demo/policy.rego')!).toString().replace('input.ok', 'input.oK'))),
      [],
      /demo\/policy\.rego: digest mismatch/,
      /digest mismatch/,
    ],
    ['an added file', (f) => new Map(f).set('demo/backdoor.rego', enc('package demo.backdoor\n\nallow := true\n')), [], /file demo\/backdoor\.rego not included in bundle signature/, /not included in bundle signature/],
    ['a removed file', (f) => { const m = new Map(f); m.delete('demo/config/data.json'); return m; }, [], /specified in bundle signatures but not found/, /specified in bundle signatures but not found in the target bundle/],
    ['a signature by the wrong key', (f) => signBundle(f, { key: stranger.signing, scope: 'prod' }), [], /failed to verify JWT signature/, /verif/i],
    ['a wrong scope', (f) => signBundle(f, { key: key.signing, scope: 'staging' }), [], /scope mismatch/, /scope mismatch/],
    ['a missing signature', (f) => { const m = new Map(f); m.delete('.signatures.json'); return m; }, [], /bundle missing \.signatures\.json/, /bundle missing \.signatures\.json/],
  ];

  it.each(tampers)('%s', async (name, tamper, _extra, cipaMessage, opaMessage) => {
    const good = await signBundle(sampleFiles(), { key: key.signing, scope: 'prod' });
    const path = join(dirP, `${name.replace(/\W+/g, '-')}.tar.gz`);
    await writeBundle(await tamper(good), path);
    const ring = keyRing([await loadPublicKey(key.verificationFile, { id: 'release' })]);
    await expect(verifyBundle(await readBundle(path), { keys: ring, scope: 'prod' })).rejects.toThrow(cipaMessage);
    expect(opaRunRefuses(path, opaFlags('ES256', key.verificationFile, 'release', 'prod'))).toMatch(opaMessage);
  });

  it('the untampered bundle passes both (control)', async () => {
    const path = join(dirP, 'good.tar.gz');
    await writeBundle(await signBundle(sampleFiles(), { key: { ...(await loadPrivateKey(key.signingFile, { id: 'release' })) }, scope: 'prod' }), path);
    await expect(verifyBundle(await readBundle(path), { keys: keyRing([key.verification]), scope: 'prod' })).resolves.toMatchObject({ signed: true });
    const r = opa(['build', '-b', path, '-o', join(dirP, 'good-out.tar.gz'), ...opaFlags('ES256', key.verificationFile, 'release', 'prod')], dirP);
    expect(r.status, r.stderr).toBe(0);
  });
});
