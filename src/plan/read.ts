import { readFile, stat } from 'node:fs/promises';
import { describeFsError, InputError } from '../errors.js';

/** Where a plan came from, as the user named it ("-" for stdin). */
export interface PlanSource {
  path: string;
  bytes: Buffer;
}

/** Plans larger than this are refused rather than risking the machine: 2 GiB. */
export const MAX_PLAN_BYTES = 2 * 1024 * 1024 * 1024;

export async function readPlanSource(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<PlanSource> {
  const raw = path === '-' ? await readStream(stdin) : await readPlanFile(path);
  return { path, bytes: toUtf8(path, raw) };
}

async function readPlanFile(path: string): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new InputError(path, 'is a directory, not a plan file', 'pass the JSON written by `terraform show -json plan.out`');
    if (info.size > MAX_PLAN_BYTES) throw new InputError(path, `is ${info.size} bytes, over the 2 GiB limit`);
    return await readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, describeFsError(error));
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > MAX_PLAN_BYTES) throw new InputError('-', 'standard input is over the 2 GiB limit');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Plans are UTF-8; Windows PowerShell's `terraform show -json > plan.json` writes UTF-16 with a byte-order mark.
 * Returns UTF-8 bytes without a BOM.
 */
export function toUtf8(path: string, raw: Buffer): Buffer {
  if (raw.length >= 2 && raw[0] === 0xff && raw[1] === 0xfe) {
    if (raw.length % 2 !== 0) throw new InputError(path, 'UTF-16 text with an odd number of bytes (truncated?)');
    return Buffer.from(raw.subarray(2).toString('utf16le'), 'utf8');
  }
  if (raw.length >= 2 && raw[0] === 0xfe && raw[1] === 0xff) {
    if (raw.length % 2 !== 0) throw new InputError(path, 'UTF-16 text with an odd number of bytes (truncated?)');
    const swapped = Buffer.from(raw.subarray(2));
    swapped.swap16();
    return Buffer.from(swapped.toString('utf16le'), 'utf8');
  }
  if (raw.length >= 3 && raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return raw.subarray(3);
  return raw;
}
