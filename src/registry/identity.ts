import { bundleIdentity } from '../bundle/manifest.js';
import { readBundleBytes } from '../bundle/read.js';
import type { PublishTarget } from './directory.js';
import { RegistryError } from './errors.js';

/**
 * Where a bundle is published: its name and version from the manifest (`metadata.name`, `metadata.version`), or
 * the ones given. Given values that contradict the manifest are refused, so a registry never lists a bundle under a
 * version its own (signed) manifest disputes. Reads the bundle with the hardened reader from src/bundle.
 */
export async function publishTarget(bytes: Uint8Array, source: string, given: Partial<PublishTarget> = {}): Promise<PublishTarget> {
  const bundle = await readBundleBytes(bytes, source);
  const identity = bundleIdentity(bundle.manifest, source);
  for (const key of ['name', 'version'] as const) {
    const stated = given[key];
    const declared = identity?.[key];
    if (stated !== undefined && declared !== undefined && stated !== declared) {
      throw new RegistryError(`${source}: manifest metadata.${key} is ${JSON.stringify(declared)}, not ${JSON.stringify(stated)}`,
        `publish it as ${declared}, or rebuild the bundle`);
    }
  }
  const name = given.name ?? identity?.name;
  const version = given.version ?? identity?.version;
  if (name === undefined || version === undefined) {
    throw new RegistryError(`${source}: no bundle ${name === undefined ? 'name' : 'version'} given and the manifest has no metadata.${name === undefined ? 'name' : 'version'}`);
  }
  return { name, version, ...(given.channel === undefined ? {} : { channel: given.channel }) };
}
