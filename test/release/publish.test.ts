import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeBundle } from '../../src/bundle/write.js';
import { buildBundle } from '../../src/policy/build.js';
import { readBundleDefinition } from '../../src/policy/definition.js';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { RegistryError } from '../../src/registry/errors.js';
import { publishBundle } from '../../src/release/publish.js';
import { VersionPolicyError } from '../../src/release/semver-policy.js';
import { FORCE_DESTROY, planCorpus, PUBLIC_ACL, scratch, type ToyControl, toyDefinition } from './fixtures.js';

const dir = scratch('cipa-release-publish-');

async function bundle(version: string, controls: ToyControl[]): Promise<string> {
  const built = await buildBundle({ definition: await readBundleDefinition(toyDefinition('demo', version, controls)), version });
  const path = join(dir, `demo-${version}-${controls.length}.tar.gz`);
  await writeBundle(built.files, path);
  return path;
}

describe('publishBundle to a directory registry', () => {
  const root = join(dir, 'registry');
  const plans = planCorpus();

  it('publishes the first version without a comparison, and the same bytes again as a no-op that moves the channel', async () => {
    const v1 = await bundle('1.0.0', [FORCE_DESTROY, PUBLIC_ACL]);
    const first = await publishBundle({ file: v1, to: root, channel: 'stable' });
    expect(first).toMatchObject({ kind: 'directory', name: 'demo', version: '1.0.0', location: `${root}#demo@1.0.0`, unchanged: false, skipped: `no earlier version of demo in ${root}: first publication` });
    const again = await publishBundle({ file: v1, to: root, channel: 'beta' });
    expect(again).toMatchObject({ unchanged: true, skipped: 'demo@1.0.0 is already published with this digest' });
    expect((await new DirectoryRegistry(root).readIndex()).bundles.demo?.channels).toEqual({ beta: '1.0.0', stable: '1.0.0' });
  });

  it('compares with the highest release below the new version: a backport is compared with its own line', async () => {
    const v2 = await bundle('2.0.0', [FORCE_DESTROY]);
    const published = await publishBundle({ file: v2, to: root, plans });
    expect(published.baseline).toBe('1.0.0');
    expect(published.check).toEqual({ previous: '1.0.0', version: '2.0.0', required: 'major', provided: 'major' });
    // 1.0.1 keeps both controls: compared with 1.0.0 (a patch at most), not with 2.0.0 (which would be a downgrade)
    const backport = await bundle('1.0.1', [{ ...FORCE_DESTROY, title: 'Buckets cannot be force-destroyed' }, PUBLIC_ACL]);
    const result = await publishBundle({ file: backport, to: root, plans });
    expect(result.baseline).toBe('1.0.0');
    expect(result.check?.required).toBe('patch');
  });

  it('refuses a too-small version with the reasons and writes nothing; refuses to overwrite a version', async () => {
    const breaking = await bundle('1.1.0', [{ ...FORCE_DESTROY, failing: false, title: 'Buckets do not set force_destroy to true' }, PUBLIC_ACL]);
    const before = readFileSync(join(root, 'index.json'), 'utf8');
    const error = await publishBundle({ file: breaking, to: root, plans, channel: 'stable' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VersionPolicyError);
    expect((error as VersionPolicyError).required.level).toBe('major');
    expect((error as VersionPolicyError).message).toBe('demo@1.1.0 is a minor bump from 1.0.1, but the changes need a major (at least 2.0.0): 1 decision of CIPA-DEMO-01 now fails (aws_s3_bucket.b in buckets.json: pass → fail); control CIPA-DEMO-01 metadata changed (title); 1 decision changed without a new failure');
    expect(readFileSync(join(root, 'index.json'), 'utf8')).toBe(before);
    // without the corpus the flip is invisible: only the control and file changes count, and a minor passes
    const blind = await publishBundle({ file: breaking, to: root });
    expect(blind.check).toEqual({ previous: '1.0.1', version: '1.1.0', required: 'patch', provided: 'minor' });
    expect(blind.diff?.decisions).toBeUndefined();

    const other = await bundle('2.0.0', [FORCE_DESTROY, PUBLIC_ACL]);
    const overwrite = await publishBundle({ file: other, to: root }).catch((e: unknown) => e);
    expect(overwrite).toBeInstanceOf(RegistryError);
    expect((overwrite as RegistryError).message).toMatch(/demo@2\.0\.0 is already published with digest sha256:[0-9a-f]{64}; refusing to overwrite it/);
  });

  it('needs a manifest identity, and refuses unsupported targets and bad channels', async () => {
    const v = await bundle('3.0.0', [FORCE_DESTROY]);
    await expect(publishBundle({ file: v, to: 'https://example.invalid/registry' })).rejects.toThrow(/unsupported target/);
    await expect(publishBundle({ file: v, to: root, channel: 'Stable!' })).rejects.toThrow(/not a valid channel/);
    const bare = join(dir, 'bare.tar.gz');
    await writeBundle(new Map([['x.rego', new TextEncoder().encode('package x\n')]]), bare);
    await expect(publishBundle({ file: bare, to: root })).rejects.toThrow(/manifest has no metadata\.name and metadata\.version/);
    writeFileSync(join(dir, 'not-a-bundle.tar.gz'), 'nope');
    await expect(publishBundle({ file: join(dir, 'not-a-bundle.tar.gz'), to: root })).rejects.toThrow(/not-a-bundle\.tar\.gz/);
  });
});
