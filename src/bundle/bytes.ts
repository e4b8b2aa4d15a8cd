/**
 * A Buffer viewed as a plain Uint8Array (same memory). Node 20's Buffer typings and TypeScript's ES2023 lib disagree
 * on Buffer's backing store type, so Buffers are passed through this where an API wants a Uint8Array.
 */
export function u8(buffer: Buffer | Uint8Array): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
