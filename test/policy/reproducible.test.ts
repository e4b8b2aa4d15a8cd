import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/policy/build.js';
import { readBundleDefinition } from '../../src/policy/definition.js';
import { bundleFromRego } from '../support/policy.js';
import { ROOT } from '../support/cli.js';

describe('the built-in bundle is reproducible', () => {
  it('builds to the same bytes twice', async () => {
    const { built } = await bundleFromRego();
    const again = await buildBundle({ definition: await readBundleDefinition(join(ROOT, 'bundles', 'cipa.yaml')) });
    expect(again.bytes.equals(built.bytes)).toBe(true);
  });

  it('does not depend on the directory the sources are checked out to', async () => {
    const { built } = await bundleFromRego();
    const elsewhere = mkdtempSync(join(tmpdir(), 'cipa-elsewhere-'));
    cpSync(join(ROOT, 'rego'), join(elsewhere, 'some', 'other', 'checkout', 'rego'), { recursive: true });
    const definition = await readBundleDefinition(join(ROOT, 'bundles', 'cipa.yaml'));
    const moved = await buildBundle({ definition: { ...definition, policy: [join(elsewhere, 'some', 'other', 'checkout', 'rego')] } });
    expect(moved.bytes.equals(built.bytes)).toBe(true);
  });

  it('is committed exactly as rego/ builds it (run `npm run build:bundle` after changing rego/)', async () => {
    const { built } = await bundleFromRego();
    const committed = readFileSync(join(ROOT, 'bundles', 'cipa.tar.gz'));
    expect(committed.equals(built.bytes), 'bundles/cipa.tar.gz is stale: run npm run build:bundle').toBe(true);
  });

  it('changes when the version changes, and only the manifest and revision do', async () => {
    const definition = await readBundleDefinition(join(ROOT, 'bundles', 'cipa.yaml'));
    const a = await buildBundle({ definition, version: '9.9.9' });
    const { built } = await bundleFromRego();
    expect(a.bytes.equals(built.bytes)).toBe(false);
    for (const [path, bytes] of built.files) {
      if (path === '.manifest') continue;
      expect(Buffer.from(a.files.get(path)!).equals(Buffer.from(bytes)), path).toBe(true);
    }
    expect(a.manifest.metadata?.version).toBe('9.9.9');
  });
});
