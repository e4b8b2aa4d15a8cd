import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { describeFsError } from '../errors.js';
import { type Digest, isDigest, sha256Digest } from './digest.js';
import { readBytes } from './bytes.js';
import { RegistryError } from './errors.js';
import { type LockOptions, processAlive, withFileLock } from './filelock.js';

/**
 * A registry on a filesystem: `<root>/<name>/<version>/bundle.tar.gz`, listed by `<root>/index.json`.
 *
 * The index is the only source of truth: a version exists when the index lists it, and readers (`resolve`, `read`,
 * `cipa serve`) never look at files the index does not name. Publishing stages the bytes in `<root>/.staging/`
 * (fsync'd) without the lock, then, under an exclusive lock on `<root>/.lock`, writes an intent journal
 * (`<root>/.pending.json`), renames the staged file into place, rewrites the index atomically and drops the journal.
 * A publisher killed at any point leaves either nothing visible or a journal that the next locked operation
 * (`publish`, `setChannel`, `recover`) completes (file in place with the right digest → listed) or rolls back.
 */
export const INDEX_SCHEMA = 'cipa.registry/v1';

export interface VersionEntry {
  digest: Digest;
  size: number;
  /** ISO 8601 time of publication. */
  published: string;
}

export interface BundleEntry {
  versions: Record<string, VersionEntry>;
  /** channel → version, e.g. { stable: "1.4.2" } */
  channels: Record<string, string>;
}

export interface RegistryIndex {
  schema: typeof INDEX_SCHEMA;
  bundles: Record<string, BundleEntry>;
}

export interface PublishTarget {
  name: string;
  version: string;
  /** Point this channel at the new version in the same index update. */
  channel?: string;
}

export type PublishStage = 'staged' | 'locked' | 'journaled' | 'renamed' | 'indexed';

export interface PublishOptions {
  lock?: LockOptions;
  /** Called after each step; awaited. For progress reporting (and for crash tests). */
  onStage?: (stage: PublishStage) => void | Promise<void>;
}

export interface PublishResult {
  name: string;
  version: string;
  digest: Digest;
  size: number;
  path: string;
  /** True when this exact content was already published under this version (nothing was written). */
  unchanged: boolean;
}

export interface ResolvedVersion {
  name: string;
  version: string;
  /** The channel the reference named, if it named one. */
  channel?: string;
  digest: Digest;
  size: number;
  path: string;
}

interface Pending extends PublishTarget {
  digest: Digest;
  size: number;
  published: string;
  staged: string;
}

/** Names may have `/`-separated segments (org/policy), each starting with a letter so it never reads as a version. */
const NAME = /^(?=.{1,128}$)[A-Za-z][A-Za-z0-9._-]*(?:\/[A-Za-z][A-Za-z0-9._-]*)*$/;
/** Versions start with a digit, channels with a lowercase letter: a reference can never be both. */
const VERSION = /^[0-9][0-9A-Za-z.+_-]{0,127}$/;
const CHANNEL = /^[a-z][a-z0-9_-]{0,63}$/;

export function isBundleName(value: string): boolean {
  return NAME.test(value);
}
export function isVersion(value: string): boolean {
  return VERSION.test(value);
}
export function isChannel(value: string): boolean {
  return CHANNEL.test(value);
}

export class DirectoryRegistry {
  readonly root: string;

  constructor(root: string) {
    this.root = root;
  }

  get indexPath(): string {
    return join(this.root, 'index.json');
  }

  private get lockPath(): string {
    return join(this.root, '.lock');
  }

  private get journalPath(): string {
    return join(this.root, '.pending.json');
  }

  private get stagingDir(): string {
    return join(this.root, '.staging');
  }

  bundlePath(name: string, version: string): string {
    return join(this.root, name, version, 'bundle.tar.gz');
  }

  /** The index as last written; an empty index when the registry has none yet. */
  async readIndex(): Promise<RegistryIndex> {
    let text: string;
    try {
      text = await readFile(this.indexPath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schema: INDEX_SCHEMA, bundles: {} };
      throw new RegistryError(`${this.indexPath}: ${describeFsError(error)}`);
    }
    return parseIndex(text, this.indexPath);
  }

  async publish(bytes: Uint8Array, target: PublishTarget, options: PublishOptions = {}): Promise<PublishResult> {
    checkTarget(target);
    if (bytes.byteLength < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      throw new RegistryError(`${target.name}@${target.version}: not a gzip-compressed bundle`, 'publish a .tar.gz bundle');
    }
    const stage = options.onStage ?? (() => undefined);
    const digest = sha256Digest(bytes);
    const staged = await this.stage(bytes);
    await stage('staged');
    try {
      return await withFileLock(this.lockPath, async () => {
        await stage('locked');
        await this.recoverLocked();
        const index = await this.readIndex();
        const entry = index.bundles[target.name];
        const existing = entry?.versions[target.version];
        const path = this.bundlePath(target.name, target.version);
        if (existing !== undefined) {
          if (existing.digest !== digest) {
            throw new RegistryError(
              `${this.root}: ${target.name}@${target.version} is already published with digest ${existing.digest}; refusing to overwrite it with ${digest}`,
              'publish a new version',
            );
          }
          if (target.channel !== undefined && entry?.channels[target.channel] !== target.version) {
            entry!.channels[target.channel] = target.version;
            await writeFileAtomic(this.indexPath, serializeIndex(index));
          }
          return { name: target.name, version: target.version, digest, size: existing.size, path, unchanged: true };
        }
        const pending: Pending = {
          ...target,
          digest,
          size: bytes.byteLength,
          published: new Date().toISOString(),
          staged,
        };
        await writeFileAtomic(this.journalPath, `${JSON.stringify(pending, null, 2)}\n`);
        let indexed = false;
        try {
          await stage('journaled');
          await mkdir(join(this.root, target.name, target.version), { recursive: true });
          await rename(staged, path);
          await syncDir(join(this.root, target.name, target.version));
          await stage('renamed');
          addToIndex(index, pending);
          await writeFileAtomic(this.indexPath, serializeIndex(index));
          indexed = true;
          await stage('indexed');
        } catch (error) {
          // Failed in this process (disk full, permissions): undo, so an error never leaves a version behind.
          if (!indexed) await rm(path, { force: true }).catch(() => undefined);
          await rm(this.journalPath, { force: true }).catch(() => undefined);
          throw error instanceof RegistryError ? error : new RegistryError(`${path}: cannot publish: ${describeFsError(error)}`, undefined, error);
        }
        await rm(this.journalPath, { force: true });
        return { name: target.name, version: target.version, digest, size: bytes.byteLength, path, unchanged: false };
      }, options.lock);
    } finally {
      await rm(staged, { force: true });
    }
  }

  /** Points `channel` of bundle `name` at an already published `version`. */
  async setChannel(name: string, channel: string, version: string, lock?: LockOptions): Promise<void> {
    checkTarget({ name, version, channel });
    await withFileLock(this.lockPath, async () => {
      await this.recoverLocked();
      const index = await this.readIndex();
      const entry = index.bundles[name];
      if (entry?.versions[version] === undefined) {
        throw new RegistryError(`${this.root}: ${name}@${version} is not published`, 'publish it before moving a channel to it');
      }
      entry.channels[channel] = version;
      await writeFileAtomic(this.indexPath, serializeIndex(index));
    }, lock);
  }

  /** Completes or rolls back what a killed publisher left, under the lock. */
  async recover(lock?: LockOptions): Promise<void> {
    await withFileLock(this.lockPath, () => this.recoverLocked(), lock);
  }

  /** `ref` is a version (starts with a digit) or a channel name. */
  async resolve(name: string, ref: string): Promise<ResolvedVersion> {
    const index = await this.readIndex();
    const entry = index.bundles[name];
    if (entry === undefined) throw new RegistryError(`${this.root}: no bundle named ${JSON.stringify(name)}`);
    let version = ref;
    let channel: string | undefined;
    if (!isVersion(ref)) {
      const target = entry.channels[ref];
      if (target === undefined) throw new RegistryError(`${this.root}: ${name} has no version or channel ${JSON.stringify(ref)}`);
      version = target;
      channel = ref;
    }
    const found = entry.versions[version];
    if (found === undefined) throw new RegistryError(`${this.root}: ${name}@${version} is not published`);
    return {
      name,
      version,
      ...(channel === undefined ? {} : { channel }),
      digest: found.digest,
      size: found.size,
      path: this.bundlePath(name, version),
    };
  }

  /** The bytes of a listed version, checked against the digest the index records. */
  async read(name: string, ref: string, maxBytes?: number): Promise<ResolvedVersion & { bytes: Uint8Array }> {
    const resolved = await this.resolve(name, ref);
    if (maxBytes !== undefined && resolved.size > maxBytes) {
      throw new RegistryError(`${resolved.path}: ${resolved.size} bytes exceeds the ${maxBytes}-byte limit`);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readBytes(resolved.path);
    } catch (error) {
      throw new RegistryError(`${resolved.path}: listed in the index but ${describeFsError(error)}`);
    }
    const actual = sha256Digest(bytes);
    if (actual !== resolved.digest) {
      throw new RegistryError(`${resolved.path}: content digest ${actual} does not match the index (${resolved.digest})`,
        'the registry file was modified after publication');
    }
    return { ...resolved, bytes };
  }

  /**
   * Every inconsistency a reader could observe or that recovery has yet to clear: listed versions whose file is
   * missing or differs from its digest, channels pointing nowhere, version files the index does not list, a pending
   * journal, staged temp files. Empty means consistent.
   */
  async check(): Promise<string[]> {
    const problems: string[] = [];
    const index = await this.readIndex();
    for (const [name, entry] of Object.entries(index.bundles)) {
      for (const [version, v] of Object.entries(entry.versions)) {
        const path = this.bundlePath(name, version);
        try {
          const actual = sha256Digest(await readBytes(path));
          if (actual !== v.digest) problems.push(`${path}: digest ${actual} != indexed ${v.digest}`);
        } catch (error) {
          problems.push(`${path}: listed but ${describeFsError(error)}`);
        }
      }
      for (const [channel, version] of Object.entries(entry.channels)) {
        if (entry.versions[version] === undefined) problems.push(`${name}: channel ${channel} → unlisted version ${version}`);
      }
    }
    for (const top of await listDir(this.root)) {
      if (top.startsWith('.') || top === 'index.json') continue;
      for (const relative of await walkFiles(this.root, top)) {
        const parts = relative.split('/');
        const name = parts.slice(0, -2).join('/');
        const version = parts.at(-2) ?? '';
        if (parts.at(-1) !== 'bundle.tar.gz' || parts.length < 3 || index.bundles[name]?.versions[version] === undefined) {
          problems.push(`${join(this.root, relative)}: not listed in the index`);
        }
      }
    }
    if ((await listDir(this.root)).includes('.pending.json')) problems.push(`${this.journalPath}: unfinished publication`);
    for (const file of await listDir(this.stagingDir)) problems.push(`${join(this.stagingDir, file)}: staged file`);
    return problems;
  }

  private async stage(bytes: Uint8Array): Promise<string> {
    await mkdir(this.stagingDir, { recursive: true });
    const path = join(this.stagingDir, `${hostname()}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(path, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(path, { force: true });
      throw new RegistryError(`${path}: cannot stage bundle: ${describeFsError(error)}`);
    }
    await handle.close();
    return path;
  }

  private async recoverLocked(): Promise<void> {
    let text: string | undefined;
    try {
      text = await readFile(this.journalPath, 'utf8');
    } catch {
      text = undefined;
    }
    if (text !== undefined) {
      const pending = parsePending(text, this.journalPath);
      if (pending !== undefined) {
        const path = this.bundlePath(pending.name, pending.version);
        const index = await this.readIndex();
        const listed = index.bundles[pending.name]?.versions[pending.version];
        let onDisk: Digest | undefined;
        try {
          onDisk = sha256Digest(await readBytes(path));
        } catch {
          onDisk = undefined;
        }
        if (listed === undefined) {
          if (onDisk === pending.digest) {
            addToIndex(index, pending); // the rename happened: roll forward
            await writeFileAtomic(this.indexPath, serializeIndex(index));
          } else if (onDisk !== undefined) {
            await rm(path, { force: true }); // never listed, not what was intended: not a version
          }
        }
        // The journal names its staged file; never delete anything outside the staging directory on its word.
        if (dirname(pending.staged) === this.stagingDir) await rm(pending.staged, { force: true });
      }
      await rm(this.journalPath, { force: true });
    }
    // Staged files of publishers that died before taking the lock.
    const me = hostname();
    for (const file of await listDir(this.stagingDir)) {
      const match = /^(.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(file);
      if (match === null || match[1] !== me || processAlive(Number(match[2]))) continue;
      await rm(join(this.stagingDir, file), { force: true });
    }
  }
}

function checkTarget(target: PublishTarget): void {
  if (!NAME.test(target.name)) {
    throw new RegistryError(`bundle name ${JSON.stringify(target.name)} is not valid`, 'use letters, digits, ".", "_" and "-" in "/"-separated segments that start with a letter');
  }
  if (!VERSION.test(target.version)) {
    throw new RegistryError(`version ${JSON.stringify(target.version)} of ${target.name} is not valid`, 'a version starts with a digit, e.g. 1.4.2');
  }
  if (target.channel !== undefined && !CHANNEL.test(target.channel)) {
    throw new RegistryError(`channel ${JSON.stringify(target.channel)} is not valid`, 'a channel is lowercase and starts with a letter, e.g. stable');
  }
}

function addToIndex(index: RegistryIndex, pending: Pending): void {
  const entry = (index.bundles[pending.name] ??= { versions: {}, channels: {} });
  entry.versions[pending.version] = { digest: pending.digest, size: pending.size, published: pending.published };
  if (pending.channel !== undefined) entry.channels[pending.channel] = pending.version;
}

function serializeIndex(index: RegistryIndex): string {
  const bundles: Record<string, BundleEntry> = {};
  for (const name of Object.keys(index.bundles).sort()) {
    const entry = index.bundles[name]!;
    const versions: Record<string, VersionEntry> = {};
    for (const v of Object.keys(entry.versions).sort()) versions[v] = entry.versions[v]!;
    const channels: Record<string, string> = {};
    for (const c of Object.keys(entry.channels).sort()) channels[c] = entry.channels[c]!;
    bundles[name] = { versions, channels };
  }
  return `${JSON.stringify({ schema: INDEX_SCHEMA, bundles }, null, 2)}\n`;
}

export function parseIndex(text: string, where: string): RegistryIndex {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RegistryError(`${where}: not valid JSON: ${(error as Error).message}`);
  }
  const index = value as Partial<RegistryIndex>;
  if (index === null || typeof index !== 'object' || index.schema !== INDEX_SCHEMA || typeof index.bundles !== 'object' || index.bundles === null) {
    throw new RegistryError(`${where}: not a cipa registry index (expected schema ${INDEX_SCHEMA})`);
  }
  for (const [name, entry] of Object.entries(index.bundles)) {
    if (!NAME.test(name) || typeof entry?.versions !== 'object' || typeof entry?.channels !== 'object') {
      throw new RegistryError(`${where}: malformed entry for bundle ${JSON.stringify(name)}`);
    }
    for (const [version, v] of Object.entries(entry.versions)) {
      if (!VERSION.test(version) || !isDigest(v?.digest) || typeof v.size !== 'number') {
        throw new RegistryError(`${where}: malformed entry for ${name}@${version}`);
      }
    }
  }
  return index as RegistryIndex;
}

function parsePending(text: string, where: string): Pending | undefined {
  try {
    const value = JSON.parse(text) as Partial<Pending>;
    if (typeof value.name === 'string' && NAME.test(value.name) && typeof value.version === 'string' && VERSION.test(value.version) &&
        isDigest(value.digest) && typeof value.staged === 'string' && typeof value.size === 'number' && typeof value.published === 'string') {
      return value as Pending;
    }
  } catch {
    // a journal is written atomically; an unreadable one was never complete
  }
  void where;
  return undefined;
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return [];
  }
}

/** Files below root/relative (depth-first, relative paths with `/`), at most 100,000 of them. */
async function walkFiles(root: string, relative: string, found: string[] = []): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (found.length >= 100_000) break;
    const path = `${relative}/${entry.name}`;
    if (entry.isDirectory()) await walkFiles(root, path, found);
    else found.push(path);
  }
  return found;
}

async function syncDir(path: string): Promise<void> {
  try {
    const handle = await open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // some filesystems refuse fsync on directories; the rename is still atomic
  }
}

export async function isRegistryDir(path: string): Promise<boolean> {
  try {
    return (await stat(join(path, 'index.json'))).isFile();
  } catch {
    return false;
  }
}
