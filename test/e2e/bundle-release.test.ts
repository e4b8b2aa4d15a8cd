import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBundle } from '../../src/bundle/read.js';
import { bundleBytes } from '../../src/bundle/write.js';
import type { PolicyReport } from '../../src/model.js';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { collect, killAll, track } from '../support/children.js';
import { cipa, ROOT } from '../support/cli.js';
import { type RunningOpa, startOpa, waitUntil } from '../support/opa.js';
import { type RunningRegistry, startOciRegistry } from '../support/registry.js';
import { bucketPlan, FORCE_DESTROY, PUBLIC_ACL, scratch, type ToyControl, toyDefinition } from '../release/fixtures.js';

/**
 * The release commands end to end, through the built CLI (node bin/run.js), with real components: the pinned OPA as
 * a server pulling from `cipa serve`, and Debian's docker-registry for OCI. Every server is started and killed here,
 * on loopback.
 */

const REAL_PLAN = join(ROOT, 'testdata', 'plans', 'bridgecrewio__checkov__tests--terraform--runner--resources--plan_nested_child_modules_with_connections--tfplan.json');
const NEW_CONTROL: ToyControl = { name: 'bucket_named_a', id: 'CIPA-DEMO-03', severity: 'high', attribute: 'bucket', failing: 'bucket-a', enforcedFrom: '2999-01-01' };

/** The CLI runs from dist/: refuse to test something older than the sources. */
function requireFreshBuild(): void {
  for (const name of ['sign', 'verify', 'inspect', 'diff', 'publish']) {
    const source = join(ROOT, 'src', 'commands', 'bundle', `${name}.ts`);
    const built = join(ROOT, 'dist', 'commands', 'bundle', `${name}.js`);
    if (!existsSync(built) || statSync(source).mtimeMs > statSync(built).mtimeMs) throw new Error(`${built} is missing or older than its source: run \`npm run build\` first`);
  }
  for (const name of readdirSync(join(ROOT, 'src', 'release'))) {
    const source = join(ROOT, 'src', 'release', name);
    const built = join(ROOT, 'dist', 'release', name.replace(/\.ts$/, '.js'));
    if (!existsSync(built) || statSync(source).mtimeMs > statSync(built).mtimeMs) throw new Error(`${built} is missing or older than its source: run \`npm run build\` first`);
  }
}

const dir = scratch('cipa-release-e2e-');
const file = (name: string) => join(dir, name);
const plan = file('buckets.json');
const plansDir = file('plans');

interface Report {
  bundle: { name: string; version: string };
  findings: Array<{ control: string; resource: string; status: string }>;
}

interface Evaluated {
  report: Report;
  /** Every decision, passes included, as "control resource status", sorted. */
  decisions: string[];
}

/**
 * `cipa eval` with the JSON report on stdout and the JUnit report (which lists every decision, passes included: one
 * testcase per (control, resource), <failure> for fail, <skipped message="unknown: …"> for unknown) in a file.
 */
async function evaluate(planPath: string, args: string[], env: NodeJS.ProcessEnv, codes = [0, 1]): Promise<Evaluated> {
  const junit = join(scratch('cipa-release-junit-'), 'report.xml');
  const r = await cipa(['eval', planPath, ...args, '-f', 'json', '-f', `junit=${junit}`], { env });
  expect(codes, `cipa eval ${args.join(' ')}: exit ${r.code}\n${r.stderr}`).toContain(r.code);
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(readFileSync(junit, 'utf8')) as {
    testsuites: { testsuite?: Array<{ testcase?: Array<{ classname: string; name: string; failure?: unknown; skipped?: { message?: string } }> }> };
  };
  const decisions = (xml.testsuites.testsuite ?? []).flatMap((suite) => suite.testcase ?? []).map((c) => {
    const status = c.failure !== undefined ? 'fail' : c.skipped !== undefined ? (c.skipped.message?.startsWith('unknown:') ? 'unknown' : 'waived') : 'pass';
    return `${c.classname} ${c.name} ${status}`;
  });
  return { report: JSON.parse(r.stdout) as Report, decisions: decisions.sort() };
}

/** Sorted "control resource status" lines, the comparison the brief asks for. */
function decisionLines(decisions: Array<{ control: string; resource: string; status: string }>): string[] {
  return decisions.map((d) => `${d.control} ${d.resource} ${d.status}`).sort();
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0]!;
}

async function ok(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await cipa(args, { env });
  expect(r.code, `cipa ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

async function refused(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const r = await cipa(args, { env });
  expect(r.code, `cipa ${args.join(' ')} should fail\n${r.stdout}${r.stderr}`).toBe(2);
  return oneErrorLine(r.stderr);
}

/** Builds a toy bundle through the CLI. */
async function build(version: string, controls: ToyControl[], out: string): Promise<string> {
  await ok(['bundle', 'build', toyDefinition('demo', version, controls), '--out', out, '--version', version]);
  return out;
}

/** Re-packs a bundle with `change` applied to its files, keeping its signature: what an attacker could serve. */
async function tamper(path: string, out: string, change: (files: Map<string, Buffer>) => void): Promise<string> {
  const bundle = await readBundle(path);
  const files = new Map(bundle.files);
  change(files);
  writeFileSync(out, bundleBytes(files));
  return out;
}

const REGO = 'cipa/controls/demo/force_destroy/force_destroy.rego';

beforeAll(async () => {
  requireFreshBuild();
  writeFileSync(plan, JSON.stringify(bucketPlan()));
  mkdirSync(plansDir);
  writeFileSync(join(plansDir, 'buckets.json'), JSON.stringify(bucketPlan()));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(file('release.pem'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(file('release.pub.pem'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(file('ec.pem'), ec.privateKey.export({ type: 'sec1', format: 'pem' }));
  writeFileSync(file('ec.pub.pem'), ec.publicKey.export({ type: 'spki', format: 'pem' }));
  mkdirSync(file('wrong'));
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(file('wrong/release.pub.pem'), other.publicKey.export({ type: 'spki', format: 'pem' }));
  await build('0.1.0', [FORCE_DESTROY, PUBLIC_ACL], file('demo-0.1.0.tar.gz'));
}, 120_000);

afterAll(() => killAll());

describe('cipa bundle sign / verify / inspect, and cipa eval --key', () => {
  it('signs with RS256 (key id from the file name) and verifies, text and JSON', async () => {
    const signed = file('rs.tar.gz');
    const r = await cipa(['bundle', 'sign', file('demo-0.1.0.tar.gz'), '--key', file('release.pem'), '--out', signed]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^signed demo@0\.1\.0 with key release \(RS256\), \d+ files → /);
    expect((await readBundle(file('demo-0.1.0.tar.gz'))).signatures).toBeUndefined();
    const text = await ok(['bundle', 'verify', signed, '--key', file('release.pub.pem')]);
    expect(text).toMatch(/^verified demo@0\.1\.0: signed by key release \(RS256\), scope "", \d+ files match their hashes\n/);
    const json = JSON.parse(await ok(['bundle', 'verify', signed, '--key', file('release.pub.pem'), '-f', 'json'])) as Record<string, unknown>;
    expect(json).toMatchObject({ verified: true, name: 'demo', version: '0.1.0', keyId: 'release', algorithm: 'RS256', digest: sha256Digest(readFileSync(signed)) });
    expect((json.files as Array<{ name: string }>).map((f) => f.name)).toContain(REGO);
    // signing is reproducible for RS256 (no iat): the same input signs to the same bytes, in place too
    const inPlace = file('rs-in-place.tar.gz');
    writeFileSync(inPlace, readFileSync(file('demo-0.1.0.tar.gz')));
    await ok(['bundle', 'sign', inPlace, '--key', file('release.pem')]);
    expect(readFileSync(inPlace).equals(readFileSync(signed))).toBe(true);
  });

  it('signs with ES256, a chosen key id and a scope; the scope is checked', async () => {
    const signed = file('es.tar.gz');
    await ok(['bundle', 'sign', file('demo-0.1.0.tar.gz'), '--key', file('ec.pem'), '--alg', 'ES256', '--key-id', 'ec-release', '--scope', 'prod', '--out', signed]);
    const out = await ok(['bundle', 'verify', signed, '--key', file('ec.pub.pem'), '--key-id', 'ec-release', '--scope', 'prod']);
    expect(out).toMatch(/^verified demo@0\.1\.0: signed by key ec-release \(ES256\), scope "prod"/);
    expect(await refused(['bundle', 'verify', signed, '--key', file('ec.pub.pem'), '--key-id', 'ec-release'])).toBe(`error: ${signed}: scope mismatch (signed "prod", expected "")`);
    // PS256 with an RSA key: the verifier must be told the algorithm (its key's, never the token's)
    const ps = file('ps.tar.gz');
    await ok(['bundle', 'sign', file('demo-0.1.0.tar.gz'), '--key', file('release.pem'), '--alg', 'PS256', '--out', ps]);
    expect(await refused(['bundle', 'verify', ps, '--key', file('release.pub.pem')])).toBe(`error: ${ps}: JWT algorithm PS256 does not match key 'release' (RS256)`);
    expect(await ok(['bundle', 'verify', ps, '--key', file('release.pub.pem'), '--alg', 'PS256'])).toMatch(/signed by key release \(PS256\)/);
    // a key directory works too: <id>.pem files
    mkdirSync(file('trusted'));
    writeFileSync(file('trusted/ec-release.pem'), readFileSync(file('ec.pub.pem')));
    expect(await ok(['bundle', 'verify', signed, '--keys', file('trusted'), '--scope', 'prod'])).toMatch(/signed by key ec-release \(ES256\)/);
  });

  it('HMAC: --hmac-secret signs HS256 and verifies with the same secret file', async () => {
    writeFileSync(file('ci.hmac'), 'a shared secret of enough length for HS256');
    const signed = file('hs.tar.gz');
    await ok(['bundle', 'sign', file('demo-0.1.0.tar.gz'), '--hmac-secret', file('ci.hmac'), '--out', signed]);
    expect(await ok(['bundle', 'verify', signed, '--hmac-secret', file('ci.hmac')])).toMatch(/signed by key ci \(HS256\)/);
    writeFileSync(file('wrong/ci.hmac'), 'another secret');
    expect(await refused(['bundle', 'verify', signed, '--hmac-secret', file('wrong/ci.hmac')])).toMatch(/failed to verify JWT signature with key 'ci'/);
  });

  it('refuses a changed byte, an added file, a removed file, a wrong key and an unsigned bundle: exit 2, one line', async () => {
    const signed = file('rs.tar.gz');
    const key = ['--key', file('release.pub.pem')];
    const changed = await tamper(signed, file('t-changed.tar.gz'), (files) => {
      const bytes = Buffer.from(files.get(REGO)!);
      bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x01;
      files.set(REGO, bytes);
    });
    expect(await refused(['bundle', 'verify', changed, ...key])).toMatch(new RegExp(`^error: ${changed}: ${REGO}: digest mismatch \\(want: [0-9a-f]{64}, got: [0-9a-f]{64}\\)$`));
    const added = await tamper(signed, file('t-added.tar.gz'), (files) => files.set('cipa/extra.rego', Buffer.from('package cipa.extra\n')));
    expect(await refused(['bundle', 'verify', added, ...key])).toBe(`error: ${added}: file cipa/extra.rego not included in bundle signature`);
    const removed = await tamper(signed, file('t-removed.tar.gz'), (files) => files.delete(REGO));
    expect(await refused(['bundle', 'verify', removed, ...key])).toBe(`error: ${removed}: file(s) [${REGO}] specified in bundle signatures but not found in the target bundle`);
    expect(await refused(['bundle', 'verify', signed, '--key', file('wrong/release.pub.pem')])).toMatch(new RegExp(`^error: ${signed}: failed to verify JWT signature with key 'release'`));
    expect(await refused(['bundle', 'verify', file('demo-0.1.0.tar.gz'), ...key])).toMatch(/bundle missing \.signatures\.json file/);
    expect(await refused(['bundle', 'verify', signed])).toMatch(/no verification key given/);
  });

  it('inspect shows manifest, identity, controls and signature state', async () => {
    const text = await ok(['bundle', 'inspect', file('rs.tar.gz')]);
    expect(text).toMatch(/^demo@0\.1\.0\n/);
    expect(text).toMatch(/signature present, not verified \(pass --key to verify\): key release, RS256, for demo@0\.1\.0, \d+ files/);
    expect(text).toMatch(/CIPA-DEMO-01\s+medium\s+Buckets do not set force_destroy to true/);
    const json = JSON.parse(await ok(['bundle', 'inspect', file('rs.tar.gz'), '--key', file('release.pub.pem'), '-f', 'json'])) as {
      identity: unknown; manifest: { roots: string[]; metadata: Record<string, unknown> }; controls: Array<{ id: string }>; signature: Record<string, unknown>;
    };
    expect(json.identity).toEqual({ name: 'demo', version: '0.1.0' });
    expect(json.manifest.roots).toEqual(['cipa']);
    expect(json.manifest.metadata.controls).toBe(2);
    expect(json.controls.map((c) => c.id)).toEqual(['CIPA-DEMO-01', 'CIPA-DEMO-02']);
    expect(json.signature).toMatchObject({ state: 'verified', keyId: 'release', algorithm: 'RS256' });
    expect((JSON.parse(await ok(['bundle', 'inspect', file('demo-0.1.0.tar.gz'), '-f', 'json'])) as { signature: unknown }).signature).toEqual({ state: 'unsigned' });
    await refused(['bundle', 'inspect', file('t-changed.tar.gz'), '--key', file('release.pub.pem')]);
  });

  it('cipa eval --bundle signed.tar.gz --key pub.pem evaluates; an unsigned bundle with --key is refused', async () => {
    const env = { CIPA_CACHE_DIR: scratch('cipa-release-cache-') };
    const { report, decisions } = await evaluate(plan, ['--bundle', file('rs.tar.gz'), '--key', file('release.pub.pem')], env, [0]);
    expect(report.bundle).toMatchObject({ name: 'demo', version: '0.1.0' });
    expect(decisions).toEqual([
      'CIPA-DEMO-01 aws_s3_bucket.a fail',
      'CIPA-DEMO-01 aws_s3_bucket.b pass',
      'CIPA-DEMO-02 aws_s3_bucket.a pass',
      'CIPA-DEMO-02 aws_s3_bucket.b fail',
    ]);
    expect(await refused(['eval', plan, '--bundle', file('demo-0.1.0.tar.gz'), '--key', file('release.pub.pem')], env)).toMatch(/bundle missing \.signatures\.json file/);
    expect(await refused(['eval', plan, '--bundle', file('t-changed.tar.gz'), '--key', file('release.pub.pem')], env)).toMatch(/digest mismatch/);
  });
});

describe('a real OPA server pulls cipa-signed bundles published to a directory registry and served by cipa serve', () => {
  const registry = file('registry');
  let serveUrl = '';
  let serveLog: () => string = () => '';
  let opa: RunningOpa | undefined;
  const signedAs = (version: string) => file(`demo-${version}-signed.tar.gz`);
  const trust = () => ['--key', file('release.pub.pem'), '--scope', 'prod'];

  beforeAll(async () => {
    await build('0.2.0', [FORCE_DESTROY, PUBLIC_ACL, NEW_CONTROL], file('demo-0.2.0.tar.gz'));
    await build('0.3.0', [FORCE_DESTROY, PUBLIC_ACL, NEW_CONTROL], file('demo-0.3.0.tar.gz'));
    for (const version of ['0.1.0', '0.2.0', '0.3.0']) {
      await ok(['bundle', 'sign', file(`demo-${version}.tar.gz`), '--key', file('release.pem'), '--scope', 'prod', '--out', signedAs(version)]);
    }
    const out = await ok(['bundle', 'publish', signedAs('0.1.0'), '--to', registry, '--channel', 'stable', ...trust()]);
    expect(out).toContain(`published demo@0.1.0 → ${registry}#demo@0.1.0 (channel stable)`);
    expect(out).toContain(`semver: not checked (no earlier version of demo in ${registry}: first publication)`);
    const serve = track(spawn(process.execPath, [join(ROOT, 'bin', 'run.js'), 'serve', '--registry', registry, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const output = collect(serve);
    serveLog = () => output.output().stderr;
    serveUrl = await waitUntil(async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(serveLog())?.[1], 30_000, 'cipa serve to listen');
  }, 120_000);

  afterAll(() => {
    opa?.stop();
    killAll();
  });

  const activeVersion = async () => ((await opa!.get('/v1/data/system/bundles/demo/manifest/metadata/version')).body as { result?: string }).result;

  async function opaDecisions(planPath: string): Promise<string[]> {
    const response = await fetch(`${opa!.url}/v1/data/cipa/main/report`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: JSON.parse(readFileSync(planPath, 'utf8')) }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { result?: { decisions: PolicyReport['decisions'] } };
    return decisionLines(body.result!.decisions);
  }

  async function cipaDecisions(planPath: string, ref: string): Promise<string[]> {
    return (await evaluate(planPath, ['--bundle', ref, ...trust()], { CIPA_CACHE_DIR: scratch('cipa-release-cache-') })).decisions;
  }

  it('OPA verifies and activates 0.1.0 and decides like cipa eval', async () => {
    opa = await startOpa({
      services: { cipa: { url: serveUrl } },
      keys: { release: { algorithm: 'RS256', key: readFileSync(file('release.pub.pem'), 'utf8') } },
      bundles: {
        demo: { service: 'cipa', resource: 'bundles/demo/stable', polling: { min_delay_seconds: 1, max_delay_seconds: 1 }, signing: { keyid: 'release', scope: 'prod' } },
      },
    });
    expect(await waitUntil(activeVersion, 30_000, 'OPA to activate demo@0.1.0')).toBe('0.1.0');
    for (const p of [plan, REAL_PLAN]) {
      const native = await opaDecisions(p);
      expect(native.length).toBeGreaterThan(0);
      expect(native).toEqual(await cipaDecisions(p, `${registry}#demo@stable`));
    }
  });

  it('publishing 0.2.0 to the channel (a new control, enforced from 2999) switches OPA to it', async () => {
    const out = await ok(['bundle', 'publish', signedAs('0.2.0'), '--to', registry, '--channel', 'stable', '--plans', plansDir, ...trust()]);
    expect(out).toContain('semver: major bump from 0.1.0, changes need a minor');
    expect(out).toContain('- control CIPA-DEMO-03 added (enforced from 2999-01-01)');
    expect(await waitUntil(async () => ((await activeVersion()) === '0.2.0' ? '0.2.0' : undefined), 30_000, 'OPA to switch to 0.2.0')).toBe('0.2.0');
    const native = await opaDecisions(plan);
    expect(native).toContain('CIPA-DEMO-03 aws_s3_bucket.a fail');
    expect(native).toEqual(await cipaDecisions(plan, `${registry}#demo@stable`));
  });

  it('a tampered 0.3.0 written into the channel is refused by OPA, which keeps 0.2.0', async () => {
    const forged = await tamper(signedAs('0.3.0'), file('demo-0.3.0-forged.tar.gz'), (files) => {
      files.set(REGO, Buffer.from(files.get(REGO)!.toString('utf8').replace('== true', '== false')));
    });
    const bytes = readFileSync(forged);
    await new DirectoryRegistry(registry).publish(new Uint8Array(bytes), { name: 'demo', version: '0.3.0', channel: 'stable' });
    await waitUntil(async () => (serveLog().includes(`GET /bundles/demo/stable 200 ${sha256Digest(bytes)}`) ? true : undefined), 30_000, 'OPA to download the forged bundle');
    const rejection = await waitUntil(async () => opa!.logs().split('\n').find((l) => /"level":"error"/.test(l) && l.includes(`${REGO}: digest mismatch`)), 30_000, 'OPA to reject the forged bundle');
    expect(rejection).toContain('demo');
    expect(await activeVersion()).toBe('0.2.0');
    expect(await opaDecisions(plan)).toContain('CIPA-DEMO-01 aws_s3_bucket.a fail');
    // and cipa refuses the same bytes
    expect(await refused(['bundle', 'verify', `${registry}#demo@stable`, ...trust()])).toMatch(new RegExp(`${REGO}: digest mismatch`));
  });

  it('rollback protection: 0.2.0 then 0.1.0 with the same state is refused, and accepted with --allow-downgrade', async () => {
    const env = { CIPA_CACHE_DIR: scratch('cipa-release-state-') };
    const run = (version: string, extra: string[] = []) => cipa(['eval', plan, '--bundle', `${registry}#demo@${version}`, ...trust(), '-f', 'json', ...extra], { env });
    expect((await run('0.2.0')).code).toBe(0);
    const down = await run('0.1.0');
    expect(down.code).toBe(2);
    expect(oneErrorLine(down.stderr)).toBe(`error: demo@0.1.0 is older than 0.2.0, already accepted (${join(env.CIPA_CACHE_DIR, 'accepted-versions.json')}): refusing a downgrade (pass allowDowngrade to roll back on purpose)`);
    const allowed = await run('0.1.0', ['--allow-downgrade']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect((JSON.parse(allowed.stdout) as Report).bundle.version).toBe('0.1.0');
  });
});

describe('the semver policy at publish', () => {
  it('refuses 0.1.1 that removes a control, with the reason; accepts 1.0.0; never overwrites a version', async () => {
    const registry = file('semver-registry');
    await ok(['bundle', 'publish', file('demo-0.1.0.tar.gz'), '--to', registry, '--channel', 'stable']);
    const breaking = await build('0.1.1', [FORCE_DESTROY], file('demo-0.1.1.tar.gz'));
    const line = await refused(['bundle', 'publish', breaking, '--to', registry, '--channel', 'stable', '--plans', plansDir]);
    expect(line).toBe('error: demo@0.1.1 is a minor bump from 0.1.0, but the changes need a major (at least 0.2.0): control CIPA-DEMO-02 removed; 2 decisions changed without a new failure (see docs/versioning.md)');
    const index = JSON.parse(readFileSync(join(registry, 'index.json'), 'utf8')) as { bundles: { demo: { versions: object; channels: object } } };
    expect(Object.keys(index.bundles.demo.versions)).toEqual(['0.1.0']);
    expect(index.bundles.demo.channels).toEqual({ stable: '0.1.0' });

    const diff = JSON.parse(await ok(['bundle', 'diff', `${registry}#demo@stable`, breaking, '--plans', plansDir, '-f', 'json'])) as { required: { level: string }; controls: { removed: Array<{ id: string }> } };
    expect(diff.required.level).toBe('major');
    expect(diff.controls.removed.map((c) => c.id)).toEqual(['CIPA-DEMO-02']);
    const text = await ok(['bundle', 'diff', `${registry}#demo@stable`, breaking, '--plans', plansDir]);
    expect(text).toContain('demo@0.1.0 → demo@0.1.1\n');
    expect(text).toContain('  - CIPA-DEMO-02  low  Buckets do not set acl to "public-read"\n');
    expect(text).toContain('  buckets.json  CIPA-DEMO-02  aws_s3_bucket.b  fail → absent\n');
    expect(text).toContain('required version bump: major\n  - control CIPA-DEMO-02 removed\n');

    const major = await build('1.0.0', [FORCE_DESTROY], file('demo-1.0.0.tar.gz'));
    const out = await ok(['bundle', 'publish', major, '--to', registry, '--channel', 'stable', '--plans', plansDir]);
    expect(out).toContain('semver: major bump from 0.1.0, changes need a major');
    expect(out).toContain('- control CIPA-DEMO-02 removed');

    const other = await build('1.0.0', [FORCE_DESTROY, NEW_CONTROL], file('demo-1.0.0-other.tar.gz'));
    expect(await refused(['bundle', 'publish', other, '--to', registry])).toMatch(/demo@1\.0\.0 is already published with digest sha256:[0-9a-f]{64}; refusing to overwrite it/);
    expect(await ok(['bundle', 'publish', major, '--to', registry])).toMatch(/^already published demo@1\.0\.0/);
  });
});

describe('OCI: publish to a real docker-registry and evaluate from it', () => {
  let oci: RunningRegistry;
  beforeAll(async () => {
    oci = await startOciRegistry();
  }, 300_000);
  afterAll(() => oci?.stop());

  it('publishes with the semver policy over the tag list, and cipa eval --bundle oci://… verifies and evaluates', async () => {
    const repo = `oci://${oci.host}/cipa/demo`;
    const out = await ok(['bundle', 'publish', file('rs.tar.gz'), '--to', repo, '--channel', 'stable', '--key', file('release.pub.pem')]);
    expect(out).toMatch(new RegExp(`^published demo@0\\.1\\.0 → oci://${oci.host}/cipa/demo@sha256:[0-9a-f]{64} \\(channel stable\\)`));
    const env = { CIPA_CACHE_DIR: scratch('cipa-release-cache-') };
    const { report, decisions } = await evaluate(plan, ['--bundle', `${repo}:0.1.0`, '--key', file('release.pub.pem')], env, [0]);
    expect(report.bundle.version).toBe('0.1.0');
    expect(decisions).toContain('CIPA-DEMO-02 aws_s3_bucket.b fail');

    await ok(['bundle', 'sign', file('demo-0.1.1.tar.gz'), '--key', file('release.pem'), '--out', file('oci-0.1.1.tar.gz')]);
    expect(await refused(['bundle', 'publish', file('oci-0.1.1.tar.gz'), '--to', repo])).toMatch(/^error: demo@0\.1\.1 is a minor bump from 0\.1\.0, but the changes need a major \(at least 0\.2\.0\): control CIPA-DEMO-02 removed/);
    await ok(['bundle', 'sign', file('demo-1.0.0.tar.gz'), '--key', file('release.pem'), '--out', file('oci-1.0.0.tar.gz')]);
    expect(await ok(['bundle', 'publish', file('oci-1.0.0.tar.gz'), '--to', `${repo}:1.0.0`, '--channel', 'stable'])).toContain('semver: major bump from 0.1.0, changes need a major');
    const moved = JSON.parse(await ok(['eval', plan, '--bundle', `${repo}:stable`, '--key', file('release.pub.pem'), '-f', 'json'], env)) as Report;
    expect(moved.bundle.version).toBe('1.0.0');
    expect(await refused(['bundle', 'publish', file('oci-1.0.0.tar.gz'), '--to', `${repo}:2.0.0`])).toMatch(/the tag 2\.0\.0 is not the bundle's version 1\.0\.0/);
  });
});
