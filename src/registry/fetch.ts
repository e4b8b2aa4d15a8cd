import { RegistryError } from './errors.js';

/** Default caps for anything cipa downloads: a bundle is policy and data, not a disk image. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface FetchLimits {
  /** Whole request (connect, headers and body) in milliseconds. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes. */
  maxBytes?: number;
}

export interface BoundedRequest extends FetchLimits {
  method?: string;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Follow redirects (default) or hand 3xx back to the caller. */
  redirect?: 'follow' | 'manual';
}

export interface BoundedResponse {
  status: number;
  headers: Headers;
  url: string;
  body: Uint8Array;
}

/**
 * One HTTP request that can neither hang nor fill memory: the whole exchange is under one deadline and the body is
 * read with a running byte count that aborts past `maxBytes`. `what` names the ref in error messages.
 */
export async function boundedFetch(url: string, what: string, request: BoundedRequest = {}): Promise<BoundedResponse> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const init: RequestInit = {
      method: request.method ?? 'GET',
      signal: controller.signal,
      redirect: request.redirect ?? 'follow',
    };
    if (request.headers !== undefined) init.headers = request.headers;
    if (request.body !== undefined) init.body = request.body;
    let response: Response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      throw failure(what, url, error, controller.signal.aborted, timeoutMs);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw new RegistryError(`${what}: response of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    if (response.body !== null) {
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > maxBytes) {
            controller.abort();
            throw new RegistryError(`${what}: response exceeds the ${maxBytes}-byte limit`);
          }
          chunks.push(value);
        }
      } catch (error) {
        if (error instanceof RegistryError) throw error;
        throw failure(what, url, error, controller.signal.aborted, timeoutMs);
      }
    }
    const body = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return { status: response.status, headers: response.headers, url: response.url || url, body };
  } finally {
    clearTimeout(timer);
  }
}

function failure(what: string, url: string, error: unknown, aborted: boolean, timeoutMs: number): RegistryError {
  if (aborted) return new RegistryError(`${what}: no complete answer from ${url} within ${timeoutMs} ms`);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return new RegistryError(`${what}: request to ${url} failed: ${detail}`, undefined, error);
}
