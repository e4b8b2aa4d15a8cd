import { readFile } from 'node:fs/promises';

/** Reads a whole file as a plain Uint8Array (a view over Node's Buffer, no copy). */
export async function readBytes(path: string): Promise<Uint8Array> {
  const buffer = await readFile(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
