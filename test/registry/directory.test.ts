import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { RegistryError } from '../../src/registry/errors.js';
import { bundleScript, collect, killAll, spawnNode, waitForOutput } from '../support/children.js';
import { tmp } from '../support/opa.js';

const fakeBundle = (size = 256) => new Uint8Array(gzipSync(randomBytes(size)));

/** What a reader relies on: every version the index lists has its file, with the listed digest. */
async function listedAreIntact(registry: DirectoryRegistry): Promise<string[]> {
  const problems: string[] = [];
  const index = await registry.readIndex();
  for (const [name, entry] of Object.entries(index.bundles)) {
    for (const [version, v] of Object.entries(entry.versions)) {
      const path = registry.bundlePath(name, version);
      if (!existsSync(path)) problems.push(`${path} missing`);
      else if (sha256Digest(readFileSync(path)) !== v.digest) problems.push(`${path} digest`);
    }
  }
  return problems;
}

describe('DirectoryRegistry in process', () => {
  it('publishes, resolves versions and channels, and reads bytes back checked', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-reg-'));
    const a = fakeBundle();
    const b = fakeBundle();
    const first = await registry.publish(a, { name: 'cipa', version: '1.0.0', channel: 'stable' });
    expect(first.digest).toBe(sha256Digest(a));
    expect(first.unchanged).toBe(false);
    await registry.publish(b, { name: 'cipa', version: '1.1.0' });
    expect((await registry.resolve('cipa', 'stable')).version).toBe('1.0.0');
    await registry.setChannel('cipa', 'stable', '1.1.0');
    const read = await registry.read('cipa', 'stable');
    expect(read.version).toBe('1.1.0');
    expect(read.channel).toBe('stable');
    expect(Buffer.from(read.bytes).equals(Buffer.from(b))).toBe(true);
    const index = JSON.parse(readFileSync(registry.indexPath, 'utf8'));
    expect(index.schema).toBe('cipa.registry/v1');
    expect(index.bundles.cipa.versions['1.0.0'].digest).toBe(sha256Digest(a));
    expect(typeof index.bundles.cipa.versions['1.0.0'].published).toBe('string');
    expect(index.bundles.cipa.channels).toEqual({ stable: '1.1.0' });
    expect(await registry.check()).toEqual([]);
  });

  it('never overwrites a published version; the same bytes again are a no-op', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-reg-'));
    const a = fakeBundle();
    await registry.publish(a, { name: 'cipa', version: '1.0.0' });
    const again = await registry.publish(a, { name: 'cipa', version: '1.0.0', channel: 'beta' });
    expect(again.unchanged).toBe(true);
    expect((await registry.resolve('cipa', 'beta')).version).toBe('1.0.0');
    const other = fakeBundle();
    const error = await registry.publish(other, { name: 'cipa', version: '1.0.0' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    const line = (error as RegistryError).oneLine();
    expect(line).not.toContain('\n');
    expect(line).toContain('cipa@1.0.0 is already published');
    expect(line).toContain(sha256Digest(a));
    expect(line).toContain(sha256Digest(other));
    expect((error as RegistryError).exitCode).toBe(2);
    expect(sha256Digest(readFileSync(registry.bundlePath('cipa', '1.0.0')))).toBe(sha256Digest(a));
    expect(await registry.check()).toEqual([]);
  });

  it('rejects bad names, versions, channels, non-gzip bytes and unknown refs with one-line errors', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-reg-'));
    const bytes = fakeBundle();
    await expect(registry.publish(bytes, { name: '../x', version: '1.0.0' })).rejects.toThrow(/bundle name "\.\.\/x" is not valid/);
    await expect(registry.publish(bytes, { name: 'x', version: 'stable' })).rejects.toThrow(/version "stable" of x is not valid/);
    await expect(registry.publish(bytes, { name: 'x', version: '1.0.0', channel: 'Stable' })).rejects.toThrow(/channel "Stable"/);
    await expect(registry.publish(new TextEncoder().encode('plain'), { name: 'x', version: '1.0.0' })).rejects.toThrow(/not a gzip/);
    await expect(registry.resolve('x', 'stable')).rejects.toThrow(/no bundle named "x"/);
    await registry.publish(bytes, { name: 'x', version: '1.0.0' });
    await expect(registry.resolve('x', 'stable')).rejects.toThrow(/x has no version or channel "stable"/);
    await expect(registry.resolve('x', '2.0.0')).rejects.toThrow(/x@2.0.0 is not published/);
    await expect(registry.setChannel('x', 'stable', '2.0.0')).rejects.toThrow(/x@2.0.0 is not published/);
  });

  it('a publication that fails in process is undone: no file, no entry, no journal', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-reg-'));
    const bytes = fakeBundle();
    const failing = registry.publish(bytes, { name: 'cipa', version: '1.0.0', channel: 'stable' }, {
      onStage: (stage) => {
        if (stage === 'renamed') throw new Error('disk full (simulated)');
      },
    });
    await expect(failing).rejects.toThrow(/cipa\/1\.0\.0\/bundle\.tar\.gz: cannot publish: disk full/);
    expect(existsSync(registry.bundlePath('cipa', '1.0.0'))).toBe(false);
    expect((await registry.readIndex()).bundles.cipa).toBeUndefined();
    expect(await registry.check()).toEqual([]);
    expect((await registry.publish(bytes, { name: 'cipa', version: '1.0.0' })).unchanged).toBe(false);
  });

  it('accepts /-separated names and lists them as nested directories', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-reg-'));
    const bytes = fakeBundle();
    await registry.publish(bytes, { name: 'org/policy', version: '1.0.0', channel: 'stable' });
    await registry.publish(fakeBundle(), { name: 'org', version: '1.0.0' });
    expect(registry.bundlePath('org/policy', '1.0.0')).toBe(join(registry.root, 'org', 'policy', '1.0.0', 'bundle.tar.gz'));
    expect((await registry.read('org/policy', 'stable')).digest).toBe(sha256Digest(bytes));
    expect(await registry.check()).toEqual([]);
    await expect(registry.publish(bytes, { name: 'org/1.0.0', version: '2.0.0' })).rejects.toThrow(/bundle name "org\/1\.0\.0" is not valid/);
    writeFileSync(join(registry.root, 'org', 'stray.txt'), 'x');
    expect(await registry.check()).toEqual([`${join(registry.root, 'org', 'stray.txt')}: not listed in the index`]);
  });

  it('refuses to serve a file modified after publication', async () => {
    const registry = new DirectoryRegistry(tmp('cipa-reg-'));
    await registry.publish(fakeBundle(), { name: 'x', version: '1.0.0' });
    writeFileSync(registry.bundlePath('x', '1.0.0'), gzipSync('tampered'));
    await expect(registry.read('x', '1.0.0')).rejects.toThrow(/content digest sha256:[0-9a-f]{64} does not match the index/);
    expect((await registry.check()).join('\n')).toMatch(/digest .* != indexed/);
  });
});

describe('DirectoryRegistry across processes', () => {
  let child: string;
  beforeAll(() => {
    child = bundleScript('test/support/publish-child.ts');
  });
  afterAll(() => killAll());

  it('N concurrent publisher processes lose no entry, and exactly one wins a contended version', async () => {
    const root = tmp('cipa-reg-');
    const dir = tmp('cipa-bytes-');
    const jobs: Array<{ version: string; file: string; digest: string }> = [];
    for (let i = 0; i < 10; i++) {
      const bytes = fakeBundle(64 * 1024);
      const file = join(dir, `v${i}.tar.gz`);
      writeFileSync(file, bytes);
      jobs.push({ version: `1.0.${i}`, file, digest: sha256Digest(bytes) });
    }
    const contenders: Array<{ file: string; digest: string }> = [];
    for (let i = 0; i < 4; i++) {
      const bytes = fakeBundle(1024);
      const file = join(dir, `c${i}.tar.gz`);
      writeFileSync(file, bytes);
      contenders.push({ file, digest: sha256Digest(bytes) });
    }
    const runs = [
      ...jobs.map((j) => collect(spawnNode(child, [root, 'cipa', j.version, j.file, '--channel', 'stable'])).done),
      ...contenders.map((c) => collect(spawnNode(child, [root, 'cipa', '2.0.0', c.file])).done),
    ];
    const results = await Promise.all(runs);
    for (const r of results.slice(0, jobs.length)) expect(r.stdout, r.stderr).toMatch(/^OK sha256:/);
    const contended = results.slice(jobs.length);
    const winners = contended.filter((r) => r.code === 0);
    expect(winners).toHaveLength(1);
    for (const loser of contended.filter((r) => r.code !== 0)) {
      expect(loser.code).toBe(2);
      expect(loser.stdout).toMatch(/^ERR .*cipa@2\.0\.0 is already published with digest sha256:/);
    }
    const registry = new DirectoryRegistry(root);
    const index = await registry.readIndex();
    const versions = index.bundles.cipa!.versions;
    expect(Object.keys(versions).sort()).toEqual([...jobs.map((j) => j.version), '2.0.0'].sort());
    for (const j of jobs) expect(versions[j.version]!.digest).toBe(j.digest);
    expect(winners[0]!.stdout).toContain(versions['2.0.0']!.digest);
    expect(jobs.map((j) => j.version)).toContain(index.bundles.cipa!.channels.stable);
    expect(await registry.check()).toEqual([]);
    expect(existsSync(join(root, '.lock'))).toBe(false);
  });

  for (const stage of ['staged', 'locked', 'journaled', 'renamed', 'indexed'] as const) {
    it(`a publisher SIGKILLed after "${stage}" leaves nothing partial, and the next publisher recovers`, async () => {
      const root = tmp('cipa-reg-');
      const dir = tmp('cipa-bytes-');
      const registry = new DirectoryRegistry(root);
      await registry.publish(fakeBundle(), { name: 'cipa', version: '1.0.0', channel: 'stable' });
      const killedBytes = fakeBundle(256 * 1024);
      const killedFile = join(dir, 'killed.tar.gz');
      writeFileSync(killedFile, killedBytes);
      const victim = spawnNode(child, [root, 'cipa', '1.1.0', killedFile, '--channel', 'stable', '--pause-at', stage]);
      const finished = collect(victim).done;
      await waitForOutput(victim, (out) => out.includes(`STAGE ${stage}`), 20_000, `publisher reaching ${stage}`);
      victim.kill('SIGKILL');
      expect((await finished).signal).toBe('SIGKILL');

      // What readers see right after the crash: only complete, listed versions.
      expect(await listedAreIntact(registry)).toEqual([]);
      const listedNow = (await registry.readIndex()).bundles.cipa!.versions;
      if ('1.1.0' in listedNow) expect(listedNow['1.1.0']!.digest).toBe(sha256Digest(killedBytes));

      // The next publisher (another process) gets the lock despite the dead holder and completes recovery.
      const nextFile = join(dir, 'next.tar.gz');
      writeFileSync(nextFile, fakeBundle());
      const next = await collect(spawnNode(child, [root, 'cipa', '1.2.0', nextFile])).done;
      expect(next.stdout, next.stderr).toMatch(/^OK /);
      expect(await registry.check()).toEqual([]);
      const index = await registry.readIndex();
      const rolledForward = stage === 'renamed' || stage === 'indexed';
      if (rolledForward) {
        expect(index.bundles.cipa!.versions['1.1.0']!.digest).toBe(sha256Digest(killedBytes));
        expect(index.bundles.cipa!.channels.stable).toBe('1.1.0');
      } else {
        expect(index.bundles.cipa!.versions['1.1.0']).toBeUndefined();
        expect(existsSync(registry.bundlePath('cipa', '1.1.0'))).toBe(false);
        expect(index.bundles.cipa!.channels.stable).toBe('1.0.0');
        // and the version can be published again
        await registry.publish(killedBytes, { name: 'cipa', version: '1.1.0' });
      }
      expect(readdirSync(join(root, '.staging'))).toEqual([]);
    });
  }

  it('publishers killed at random moments never leave a corrupt or half-listed registry', async () => {
    const root = tmp('cipa-reg-');
    const dir = tmp('cipa-bytes-');
    const registry = new DirectoryRegistry(root);
    const digests = new Map<string, string>();
    const runs: Array<Promise<unknown>> = [];
    for (let i = 0; i < 8; i++) {
      const bytes = fakeBundle(2 * 1024 * 1024);
      const file = join(dir, `r${i}.tar.gz`);
      writeFileSync(file, bytes);
      digests.set(`3.0.${i}`, sha256Digest(bytes));
      const proc = spawnNode(child, [root, 'cipa', `3.0.${i}`, file]);
      runs.push(collect(proc).done);
      setTimeout(() => proc.kill('SIGKILL'), 50 + Math.floor(Math.random() * 400));
    }
    await Promise.all(runs);
    expect(await listedAreIntact(registry)).toEqual([]);
    await registry.recover();
    expect(await registry.check()).toEqual([]);
    for (const [version, v] of Object.entries((await registry.readIndex()).bundles.cipa?.versions ?? {})) {
      expect(v.digest).toBe(digests.get(version));
    }
  });
});
