import { describe, expect, it } from 'vitest';
import { bundleBytes } from '../../src/bundle/write.js';
import { publishTarget } from '../../src/registry/identity.js';
import { RegistryError } from '../../src/registry/errors.js';

const enc = (s: string) => new TextEncoder().encode(s);
const withManifest = (metadata?: Record<string, unknown>) =>
  new Uint8Array(bundleBytes(new Map([
    ['.manifest', enc(JSON.stringify({ revision: 'r', roots: ['cipa'], ...(metadata ? { metadata } : {}) }))],
    ['cipa/p.rego', enc('package cipa.p\n\nx := 1\n')],
  ])));

describe('publishTarget', () => {
  it('takes name and version from the manifest metadata', async () => {
    expect(await publishTarget(withManifest({ name: 'org/cipa', version: '1.4.2' }), 'b.tar.gz', { channel: 'stable' }))
      .toEqual({ name: 'org/cipa', version: '1.4.2', channel: 'stable' });
  });
  it('accepts agreeing values and refuses contradicting ones', async () => {
    const bytes = withManifest({ name: 'cipa', version: '1.4.2' });
    expect(await publishTarget(bytes, 'b', { name: 'cipa', version: '1.4.2' })).toEqual({ name: 'cipa', version: '1.4.2' });
    await expect(publishTarget(bytes, 'b.tar.gz', { version: '1.5.0' })).rejects.toThrow(/b\.tar\.gz: manifest metadata\.version is "1\.4\.2", not "1\.5\.0"/);
  });
  it('needs a name and version from somewhere', async () => {
    expect(await publishTarget(withManifest(), 'b', { name: 'x', version: '1.0.0' })).toEqual({ name: 'x', version: '1.0.0' });
    const error = await publishTarget(withManifest(), 'b.tar.gz', { name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as Error).message).toBe('b.tar.gz: no bundle version given and the manifest has no metadata.version');
  });
});
