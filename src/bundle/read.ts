import { readFile, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { BundleError, InputError, describeFsError } from '../errors.js';
import { MANIFEST_PATH, SIGNATURES_PATH, checkManifestFiles, parseManifest, type Manifest } from './manifest.js';
import { u8 } from './bytes.js';
import { normalizeBundlePath } from './paths.js';

/**
 * Reads an OPA bundle (.tar.gz) into memory. Bundles are untrusted: nothing is written to disk and no link is
 * followed or created. What is accepted:
 * - regular files (tar types `0` and legacy `\0`) become bundle files, keyed by their normalised path (one leading
 *   `/` or `./` dropped);
 * - directory entries are skipped (they carry no content and OPA ignores them too);
 * - every other entry type (symlink, hardlink, device, FIFO, contiguous, sparse, unknown) is rejected: OPA ignores
 *   them silently, and a checker that sees something other than what OPA loads invites confusion;
 * - names that are absolute after normalisation, contain `..`, `.` or empty segments, backslashes or control
 *   characters are rejected, and so are duplicate names after normalisation;
 * - `*.manifest` and `*signatures.json` are accepted only at the bundle root (OPA matches them by suffix anywhere)
 *   and `patch.json` (delta bundles, which OPA never verifies) is rejected.
 * Limits on entries, per-file and total uncompressed bytes are enforced while decompressing, so a gzip bomb is an
 * error, not an out-of-memory.
 */

export interface ReadLimits {
  /** Largest accepted .tar.gz, in bytes. */
  maxCompressedBytes: number;
  /** Most tar entries (of any type). */
  maxEntries: number;
  /** Largest single file, uncompressed (OPA's size_limit_bytes). */
  maxFileBytes: number;
  /** Largest sum of file sizes, uncompressed. */
  maxTotalBytes: number;
}

export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxCompressedBytes: 128 * 1024 * 1024,
  maxEntries: 10_000,
  maxFileBytes: 64 * 1024 * 1024,
  maxTotalBytes: 256 * 1024 * 1024,
});

/** `.signatures.json` as OPA defines it (SignaturesConfig). */
export interface SignaturesFile {
  signatures: string[];
  plugin?: string;
}

export interface Bundle {
  /** Where the bundle came from (a path, a URL), for messages. */
  source: string;
  /** Every regular file by bundle path (no leading `/`), including `.manifest` and `.signatures.json`. */
  files: Map<string, Buffer>;
  /** The parsed manifest; `{revision: ""}` (roots default to [""]) when the bundle has no `.manifest`. */
  manifest: Manifest;
  hasManifest: boolean;
  /** The parsed `.signatures.json`, when present. */
  signatures?: SignaturesFile;
}

const TAR_BLOCK = 512;
/** Per-entry tar overhead we allow on top of file bytes: a header, padding, and room for pax/long-name records. */
const ENTRY_OVERHEAD = 4 * TAR_BLOCK;
const MAX_META_BYTES = 64 * 1024;

export async function readBundle(path: string, limits: Partial<ReadLimits> = {}): Promise<Bundle> {
  const effective = { ...DEFAULT_READ_LIMITS, ...limits };
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a regular file'), { code: info.isDirectory() ? 'EISDIR' : 'EINVAL' });
    if (info.size > effective.maxCompressedBytes) {
      throw new BundleError(`${path}: bundle is ${info.size} bytes, more than the ${effective.maxCompressedBytes}-byte limit`);
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof BundleError) throw error;
    throw new InputError(path, `cannot read bundle: ${describeFsError(error)}`);
  }
  return readBundleBytes(u8(bytes), path, effective);
}

function typeProblem(type: string): string | undefined {
  switch (type) {
    case 'SymbolicLink':
      return 'is a symbolic link';
    case 'Link':
      return 'is a hard link';
    case 'CharacterDevice':
    case 'BlockDevice':
      return 'is a device';
    case 'FIFO':
      return 'is a FIFO';
    default:
      return `has an unsupported tar entry type (${type})`;
  }
}

/** Checks the names OPA treats specially by suffix, and delta bundles. */
function checkSpecialName(path: string, source: string): void {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (path !== MANIFEST_PATH && path.endsWith('.manifest')) {
    throw new BundleError(`${source}: '${path}' would be read by OPA as the manifest; only /.manifest is allowed`);
  }
  if (path !== SIGNATURES_PATH && path.endsWith('signatures.json')) {
    throw new BundleError(`${source}: '${path}' would be read by OPA as a signatures file; only /.signatures.json is allowed`);
  }
  if (base === 'patch.json') {
    throw new BundleError(`${source}: '${path}': delta bundles (patch.json) are not supported`, 'OPA does not verify signatures of delta bundles');
  }
}

function parseSignatures(bytes: Buffer, source: string): SignaturesFile {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(u8(bytes)));
  } catch (error) {
    throw new BundleError(`${source}: ${SIGNATURES_PATH} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BundleError(`${source}: ${SIGNATURES_PATH} must be a JSON object`);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'signatures' && key !== 'plugin') throw new BundleError(`${source}: ${SIGNATURES_PATH} has unknown field '${key}'`);
  }
  const signatures = record.signatures ?? [];
  if (!Array.isArray(signatures) || !signatures.every((s): s is string => typeof s === 'string')) {
    throw new BundleError(`${source}: ${SIGNATURES_PATH}: signatures must be an array of strings`);
  }
  if (record.plugin !== undefined && typeof record.plugin !== 'string') {
    throw new BundleError(`${source}: ${SIGNATURES_PATH}: plugin must be a string`);
  }
  return record.plugin === undefined ? { signatures } : { signatures, plugin: record.plugin };
}

/** Reads a bundle from bytes; `source` names it in errors. */
export async function readBundleBytes(bytes: Uint8Array, source: string, limits: Partial<ReadLimits> = {}): Promise<Bundle> {
  const max = { ...DEFAULT_READ_LIMITS, ...limits };
  if (bytes.length > max.maxCompressedBytes) {
    throw new BundleError(`${source}: bundle is ${bytes.length} bytes, more than the ${max.maxCompressedBytes}-byte limit`);
  }
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new BundleError(`${source}: not a gzip file`, 'an OPA bundle is a .tar.gz');
  }
  const files = new Map<string, Buffer>();
  const tarCap = max.maxTotalBytes + (max.maxEntries + 4) * ENTRY_OVERHEAD;
  let failure: BundleError | undefined;
  let entries = 0;
  let fileBytes = 0;
  let tarBytesSeen = 0;
  let sawEnd = false;

  const fail = (message: string, hint?: string): void => {
    failure ??= new BundleError(`${source}: ${message}`, hint);
  };

  const onEntry = (entry: ReadEntry): void => {
    entry.on('error', () => undefined);
    if (failure) {
      entry.resume();
      return;
    }
    entries++;
    if (entries > max.maxEntries) {
      fail(`more than ${max.maxEntries} entries`);
      entry.resume();
      return;
    }
    const name = entry.path;
    if (entry.type === 'Directory') {
      // Skipped, but a hostile name is still an error: only the root (`/`, `./`) or a clean relative path.
      const trimmed = name.replace(/\/+$/, '');
      if (trimmed !== '' && trimmed !== '.') {
        try {
          normalizeBundlePath(trimmed, source);
        } catch (error) {
          failure ??= error as BundleError;
        }
      }
      entry.resume();
      return;
    }
    let path: string;
    try {
      path = normalizeBundlePath(name, source);
    } catch (error) {
      failure ??= error as BundleError;
      entry.resume();
      return;
    }
    if (entry.type !== 'File' && entry.type !== 'OldFile') {
      fail(`entry '${name}' ${typeProblem(entry.type)}`, 'a bundle may contain only regular files');
      entry.resume();
      return;
    }
    try {
      checkSpecialName(path, source);
    } catch (error) {
      failure ??= error as BundleError;
      entry.resume();
      return;
    }
    if (files.has(path)) {
      fail(`duplicate entry '${path}'`);
      entry.resume();
      return;
    }
    const size = entry.size;
    if (!Number.isSafeInteger(size) || size < 0) {
      fail(`entry '${name}' has an invalid size`);
      entry.resume();
      return;
    }
    if (size > max.maxFileBytes) {
      fail(`file '${path}' is ${size} bytes, more than the ${max.maxFileBytes}-byte per-file limit`);
      entry.resume();
      return;
    }
    fileBytes += size;
    if (fileBytes > max.maxTotalBytes) {
      fail(`files add up to more than the ${max.maxTotalBytes}-byte limit`);
      entry.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    files.set(path, Buffer.alloc(0));
    entry.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > size) {
        fail(`entry '${name}' is longer than its header says`);
        return;
      }
      chunks.push(chunk);
    });
    entry.on('end', () => {
      if (received !== size) fail(`entry '${name}' is truncated`);
      else files.set(path, Buffer.concat(chunks.map(u8)));
    });
  };

  const parser = new Parser({ strict: true, maxMetaEntrySize: MAX_META_BYTES });
  parser.on('entry', onEntry);
  parser.on('error', (error: Error) => fail(`not a valid tar archive: ${error.message}`));
  // node-tar drops pax/long-name records above maxMetaEntrySize, where Go would apply them: refuse instead.
  parser.on('ignoredEntry', (entry: ReadEntry) => fail(`tar metadata record for '${entry.path}' is larger than ${MAX_META_BYTES} bytes`));
  parser.on('eof', () => {
    sawEnd = true;
  });

  await new Promise<void>((resolve) => {
    const gunzip = createGunzip();
    let first = true;
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      gunzip.destroy();
      resolve();
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (failure) return settle();
      if (first) {
        first = false;
        if ((chunk[0] === 0x1f && chunk[1] === 0x8b) || (chunk[0] === 0x28 && chunk[1] === 0xb5)) {
          fail('contains a compressed archive inside the gzip stream');
          return settle();
        }
      }
      tarBytesSeen += chunk.length;
      if (tarBytesSeen > tarCap) {
        fail(`decompresses to more than ${tarCap} bytes (limit ${max.maxTotalBytes} bytes of files)`, 'possible gzip bomb');
        return settle();
      }
      try {
        // node-tar needs a real Buffer (it calls Buffer methods); the cast only bridges the typings.
        parser.write(chunk as unknown as Uint8Array);
      } catch (error) {
        fail(`not a valid tar archive: ${(error as Error).message}`);
      }
      if (failure) settle();
    });
    gunzip.on('end', () => {
      if (!failure) {
        try {
          parser.end();
        } catch (error) {
          fail(`not a valid tar archive: ${(error as Error).message}`);
        }
      }
      settle();
    });
    gunzip.on('error', (error: Error) => {
      fail(`corrupt gzip data: ${error.message}`);
      settle();
    });
    gunzip.end(bytes);
  });

  if (failure) throw failure;
  if (!sawEnd) throw new BundleError(`${source}: tar archive is truncated (no end-of-archive marker)`);

  const manifestBytes = files.get(MANIFEST_PATH);
  const manifest: Manifest = manifestBytes ? parseManifest(u8(manifestBytes), `${source}: ${MANIFEST_PATH}`) : { revision: '' };
  checkManifestFiles(manifest, files.keys(), source);
  const signaturesBytes = files.get(SIGNATURES_PATH);
  const bundle: Bundle = { source, files, manifest, hasManifest: manifestBytes !== undefined };
  if (signaturesBytes) bundle.signatures = parseSignatures(signaturesBytes, source);
  return bundle;
}
