/** Distribution: directory registry, OCI client, references, cache and lockfile. */
export { BundleCache, defaultCacheDir } from './cache.js';
export { type Digest, isDigest, sha256Digest } from './digest.js';
export {
  type BundleEntry,
  DirectoryRegistry,
  INDEX_SCHEMA,
  isBundleName,
  isChannel,
  isRegistryDir,
  isVersion,
  type PublishOptions,
  type PublishResult,
  type PublishStage,
  type PublishTarget,
  type RegistryIndex,
  type ResolvedVersion,
  type VersionEntry,
} from './directory.js';
export { RegistryError } from './errors.js';
export { boundedFetch, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, type FetchLimits } from './fetch.js';
export { type LockOptions, withFileLock } from './filelock.js';
export { publishTarget } from './identity.js';
export { checkPinned, emptyLockfile, type LockEntry, type Lockfile, pin, readLockfile, writeLockfile } from './lock.js';
export {
  formatOciRef,
  OCI_CONFIG,
  OCI_LAYER,
  OCI_MANIFEST,
  type OciOptions,
  ociOptionsFromEnv,
  type OciRef,
  parseOciRef,
  pullOciBundle,
  type PullResult,
  pushOciBundle,
  type PushOptions,
  type PushResult,
} from './oci.js';
export { type BundleRef, parseBundleRef, type ResolvedBundle, resolveBundleRef, type ResolveOptions } from './resolve.js';
