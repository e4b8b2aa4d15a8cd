import { constants, gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { BundleError, InputError, describeFsError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { u8 } from './bytes.js';
import { normalizeBundlePath, tarName } from './paths.js';

/**
 * Writes OPA bundles as byte-for-byte reproducible gzip'd tars: entries sorted by path, regular files only (no
 * directory entries), mtime 0, uid/gid 0, empty uname/gname, mode 0644, plain USTAR headers (never a pax header,
 * so nothing carries a time), names with a leading `/` as `opa build` writes them, two zero blocks at the end; gzip
 * with a fixed header (mtime 0, no name, OS byte 255 "unknown" as Go writes it) at a fixed level.
 *
 * Headers are encoded by node-tar's `Header` (the tar package's own USTAR encoder); the archive is assembled
 * here because node-tar's `Pack` reads from the filesystem and stamps real metadata, which is what we must avoid.
 */

const BLOCK = 512;
const FILE_MODE = 0o644;
const EPOCH = new Date(0);
const GZIP_LEVEL = 9;
const GZIP_OS_UNKNOWN = 0xff;

/** Sorts by code point (equivalently UTF-8 bytes), the order Go's sort.Strings would give. */
function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function header(name: string, size: number, source: string): Buffer {
  if (!/^[\x20-\x7e]+$/.test(name)) {
    throw new BundleError(`${source}: bundle path ${JSON.stringify(name)} must be printable ASCII`, 'cipa writes plain USTAR headers only');
  }
  const block = Buffer.alloc(BLOCK);
  const h = new Header({
    path: name,
    mode: FILE_MODE,
    uid: 0,
    gid: 0,
    size,
    mtime: EPOCH,
    type: 'File',
    uname: '',
    gname: '',
  });
  if (h.encode(block, 0)) {
    throw new BundleError(`${source}: bundle path ${JSON.stringify(name)} is too long for a USTAR header (100-byte name, 155-byte prefix)`);
  }
  return block;
}

/** The uncompressed tar of a bundle's files (keys are bundle paths, with or without a leading `/`). */
export function tarBytes(files: ReadonlyMap<string, Uint8Array>, source = 'bundle'): Buffer {
  const entries = new Map<string, Uint8Array>();
  for (const [name, bytes] of files) {
    const path = normalizeBundlePath(name, source);
    if (entries.has(path)) throw new BundleError(`${source}: duplicate bundle path '${path}'`);
    entries.set(path, bytes);
  }
  const chunks: Uint8Array[] = [];
  for (const path of [...entries.keys()].sort(byPath)) {
    const bytes = entries.get(path)!;
    chunks.push(u8(header(tarName(path), bytes.length, source)));
    chunks.push(bytes);
    const pad = (BLOCK - (bytes.length % BLOCK)) % BLOCK;
    if (pad > 0) chunks.push(new Uint8Array(pad));
  }
  chunks.push(new Uint8Array(2 * BLOCK));
  return Buffer.concat(chunks);
}

/** The gzip'd tar of a bundle: the same files always give the same bytes. */
export function bundleBytes(files: ReadonlyMap<string, Uint8Array>, source = 'bundle'): Buffer {
  const gz = gzipSync(u8(tarBytes(files, source)), { level: GZIP_LEVEL, strategy: constants.Z_DEFAULT_STRATEGY });
  // RFC 1952 header: ID1 ID2 CM FLG MTIME(4) XFL OS. Node writes no name and mtime 0; pin the OS byte too.
  if (gz[0] !== 0x1f || gz[1] !== 0x8b || gz[3] !== 0) throw new BundleError(`${source}: unexpected gzip header from zlib`);
  gz.writeUInt32LE(0, 4);
  gz[9] = GZIP_OS_UNKNOWN;
  return gz;
}

/** Writes a bundle atomically to `outPath`. */
export async function writeBundle(files: ReadonlyMap<string, Uint8Array>, outPath: string): Promise<void> {
  const bytes = bundleBytes(files, outPath);
  try {
    await writeFileAtomic(outPath, u8(bytes));
  } catch (error) {
    throw new InputError(outPath, `cannot write bundle: ${describeFsError(error)}`);
  }
}
