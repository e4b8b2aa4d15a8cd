import semver from 'semver';
import { requireBundleIdentity } from '../bundle/manifest.js';
import { readBundleBytes } from '../bundle/read.js';
import { verifyBundle, type VerifyOptions } from '../bundle/verify.js';
import { describeFsError, InputError, UsageError } from '../errors.js';
import { readBytes } from '../registry/bytes.js';
import { type Digest, sha256Digest } from '../registry/digest.js';
import { DirectoryRegistry, isChannel } from '../registry/directory.js';
import { RegistryError } from '../registry/errors.js';
import { formatOciRef, listOciTags, type OciOptions, ociOptionsFromEnv, parseOciRef, pullOciBundle, pushOciBundle } from '../registry/oci.js';
import { diffBundles, openSide, readPlanCorpus, type BundleDiff } from './diff.js';
import { checkVersion, type VersionCheck } from './semver-policy.js';

export interface PublishRequest {
  /** The bundle file (.tar.gz). */
  file: string;
  /** A directory registry (a path) or oci://host[:port]/repository[:<version>]. */
  to: string;
  /** Directory registry: point this channel at the new version. OCI: also move this tag to it. */
  channel?: string;
  /** A directory of plans: decisions that change between the published baseline and this bundle count. */
  plans?: string;
  /** Verify the bundle's signature with these keys before publishing. */
  verify?: VerifyOptions;
  /** YYYY-MM-DD (UTC) for enforced_from dates; default today. */
  today?: string;
  oci?: OciOptions;
}

export interface PublishOutcome {
  kind: 'directory' | 'oci';
  name: string;
  version: string;
  digest: Digest;
  /** Where it can be read from: <dir>#<name>@<version>, or oci://host/repo@sha256:… */
  location: string;
  channel?: string;
  /** This exact bundle was already published under this version; nothing was written (a channel may have moved). */
  unchanged: boolean;
  /** The published version the semver policy compared with. */
  baseline?: string;
  check?: VersionCheck;
  diff?: BundleDiff;
  /** Why the semver policy was not applied (first publication, same version again, …). */
  skipped?: string;
}

async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return await readBytes(path);
  } catch (error) {
    throw new InputError(path, `cannot read bundle: ${describeFsError(error)}`);
  }
}

/** oci://host/repo gets the version as its tag; a reference that names a tag or digest is left as it is. */
function withVersionTag(to: string, version: string): string {
  const rest = to.slice('oci://'.length);
  const path = rest.slice(rest.indexOf('/') + 1);
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.includes(':') || last.includes('@') ? to : `${to}:${version}`;
}

/**
 * The version the semver policy compares with: the highest published release below `version` (so a backport 1.4.1
 * is compared with 1.4.0 even after 2.0.0), else the highest published prerelease below it.
 */
export function pickBaseline(published: Iterable<string>, version: string): string | undefined {
  const below = [...published].filter((v) => semver.valid(v) === v && semver.lt(v, version)).sort(semver.rcompare);
  return below.find((v) => semver.prerelease(v) === null) ?? below[0];
}

/**
 * Publishes a bundle after enforcing the semver policy against what the target already holds for the same bundle
 * name: the diff (controls, and decisions over `plans`) decides the smallest version allowed. A version already
 * published is never overwritten (the same bytes again is a no-op).
 */
export async function publishBundle(request: PublishRequest): Promise<PublishOutcome> {
  if (request.channel !== undefined && !isChannel(request.channel)) {
    throw new UsageError(`--channel ${request.channel} is not a valid channel`, 'a channel is lowercase and starts with a letter, e.g. stable');
  }
  if (request.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(request.today)) {
    throw new UsageError(`--today ${request.today} is not a date like 2026-12-31`);
  }
  // Read once: what is verified and compared is byte for byte what gets published.
  const bytes = await readFileBytes(request.file);
  const bundle = await readBundleBytes(bytes, request.file);
  const identity = requireBundleIdentity(bundle.manifest, request.file);
  if (request.verify !== undefined) await verifyBundle(bundle, { ...request.verify, requireSignature: true });
  const digest = sha256Digest(bytes);
  const { name, version } = identity;
  const plans = request.plans === undefined ? undefined : await readPlanCorpus(request.plans);

  const compare = async (baselineBytes: Uint8Array, baselineSource: string, baseline: string) => {
    const oldSide = await openSide(baselineBytes, baselineSource);
    if (oldSide.bundle.info.name !== name) {
      throw new RegistryError(`${baselineSource}: holds bundle ${oldSide.bundle.info.name}, not ${name}`, 'publish each bundle to its own repository');
    }
    const newSide = await openSide(bytes, request.file);
    const diff = diffBundles(oldSide, newSide, {
      ...(plans ? { plans, plansRoot: request.plans! } : {}),
      ...(request.today ? { today: request.today } : {}),
    });
    return { diff, check: checkVersion(baseline, version, diff.required, name) };
  };

  if (request.to.startsWith('oci://')) {
    const oci = request.oci ?? ociOptionsFromEnv();
    const ref = parseOciRef(withVersionTag(request.to, version));
    if (ref.digest !== undefined) throw new UsageError(`${request.to}: publish to a repository or a version tag, not a digest`);
    if (ref.tag !== version) {
      throw new UsageError(`${request.to}: the tag ${ref.tag} is not the bundle's version ${version}`, `publish to oci://${ref.registry}/${ref.repository} (tagged ${version}); use --channel for moving tags`);
    }
    const repo = formatOciRef({ registry: ref.registry, repository: ref.repository, tag: version });
    const outcome: Partial<PublishOutcome> = {};
    let tags: string[] | undefined;
    try {
      tags = await listOciTags(repo, oci);
    } catch (error) {
      // Some registries do not offer the tag list (or not to this credential): publish, and say the policy was skipped.
      const status = error instanceof RegistryError ? /tag list answered HTTP (403|404|405|501)\b/.exec(error.message)?.[1] : undefined;
      if (status === undefined) throw error;
      outcome.skipped = `${ref.registry} does not list the tags of ${ref.repository} (HTTP ${status}), so there is no baseline to compare with`;
    }
    if (tags === undefined) {
      // skipped above
    } else if (tags.includes(version)) {
      outcome.skipped = `${version} is already tagged in ${ref.registry}/${ref.repository}`;
    } else {
      const baseline = pickBaseline(tags, version);
      if (baseline === undefined) {
        outcome.skipped = `no earlier semver tag in ${ref.registry}/${ref.repository}: first publication`;
      } else {
        const pulled = await pullOciBundle(formatOciRef({ registry: ref.registry, repository: ref.repository, tag: baseline }), oci);
        const { diff, check } = await compare(pulled.bytes, pulled.source, baseline);
        Object.assign(outcome, { baseline, diff, check });
      }
    }
    const pushed = await pushOciBundle(repo, bytes, oci);
    if (request.channel !== undefined) {
      await pushOciBundle(formatOciRef({ registry: ref.registry, repository: ref.repository, tag: request.channel }), bytes, { ...oci, force: true });
    }
    return {
      kind: 'oci',
      name,
      version,
      digest,
      location: pushed.ref,
      ...(request.channel !== undefined ? { channel: request.channel } : {}),
      unchanged: pushed.unchanged,
      ...outcome,
    };
  }

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(request.to)) {
    throw new UsageError(`--to ${request.to}: unsupported target`, 'publish to a directory registry (a path) or oci://host[:port]/repository');
  }
  const registry = new DirectoryRegistry(request.to);
  const index = await registry.readIndex();
  const entry = index.bundles[name];
  const outcome: Partial<PublishOutcome> = {};
  const existing = entry?.versions[version];
  if (existing !== undefined) {
    if (existing.digest !== digest) {
      throw new RegistryError(`${request.to}: ${name}@${version} is already published with digest ${existing.digest}; refusing to overwrite it with ${digest}`, 'publish a new version');
    }
    outcome.skipped = `${name}@${version} is already published with this digest`;
  } else {
    const baseline = pickBaseline(Object.keys(entry?.versions ?? {}), version);
    if (baseline === undefined) {
      outcome.skipped = `no earlier version of ${name} in ${request.to}: first publication`;
    } else {
      const read = await registry.read(name, baseline);
      const { diff, check } = await compare(read.bytes, `${request.to}#${name}@${baseline}`, baseline);
      Object.assign(outcome, { baseline, diff, check });
    }
  }
  const published = await registry.publish(bytes, { name, version, ...(request.channel !== undefined ? { channel: request.channel } : {}) });
  return {
    kind: 'directory',
    name,
    version,
    digest,
    location: `${request.to}#${name}@${version}`,
    ...(request.channel !== undefined ? { channel: request.channel } : {}),
    unchanged: published.unchanged,
    ...outcome,
  };
}
