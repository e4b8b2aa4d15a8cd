import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { DirectoryRegistry, isBundleName, isChannel, isVersion } from '../registry/directory.js';
import { RegistryError } from '../registry/errors.js';
import { describeFsError } from '../errors.js';

/**
 * An HTTP bundle server for OPA's bundle plugin, backed by a directory registry.
 *
 *   GET|HEAD /bundles/<name>/<version|channel>  → (<name> may contain /, e.g. /bundles/org/policy/stable)
 *                                                 200 application/gzip, ETag "sha256:<hex>"; 304 on If-None-Match
 *   GET|HEAD /health                              → 200 {"status":"ok"} while the index is readable, else 503
 *
 * Long polling (OPA's `polling.long_polling_timeout_seconds`): a request with `Prefer: …wait=N` whose If-None-Match
 * is current is held for up to N seconds (at most maxWaitSeconds), re-reading the index every pollMs; it is answered
 * 200 as soon as the reference moves, else 304. Such answers carry Content-Type application/vnd.openpolicyagent.bundles,
 * which is what keeps OPA in long-polling mode.
 *
 * The index is read on every request, so a channel moved by another process is served on the next poll. Bundle
 * bytes are checked against the index digest before they are sent; a mismatch is a 500, never corrupt bytes.
 */
export interface BundleServerOptions {
  /** Root of a directory registry. */
  registry: string;
  /** Default 127.0.0.1: loopback only unless asked. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** One line per request, e.g. for stderr. */
  log?: (line: string) => void;
  /** Longest long-poll hold, whatever the client asks (default 120 s). */
  maxWaitSeconds?: number;
  /** How often a held request re-reads the index (default 250 ms). */
  pollMs?: number;
  /** Most requests held at once (default 1000); past that, long polls are answered at once. */
  maxWaiting?: number;
}

const LONG_POLL_TYPE = 'application/vnd.openpolicyagent.bundles';

interface ServerState {
  closing: boolean;
  waiting: number;
  maxWaitSeconds: number;
  pollMs: number;
  maxWaiting: number;
}

export interface RunningBundleServer {
  url: string;
  host: string;
  port: number;
  server: Server;
  /** Long-poll requests being held right now. */
  waiting(): number;
  close(): Promise<void>;
}

export async function startBundleServer(options: BundleServerOptions): Promise<RunningBundleServer> {
  try {
    if (!(await stat(options.registry)).isDirectory()) throw new RegistryError(`${options.registry}: not a directory`);
  } catch (error) {
    if (error instanceof RegistryError) throw error;
    throw new RegistryError(`${options.registry}: ${describeFsError(error)}`, 'pass the root of a directory registry with --registry');
  }
  const host = options.host ?? '127.0.0.1';
  const state: ServerState = {
    closing: false,
    waiting: 0,
    maxWaitSeconds: options.maxWaitSeconds ?? 120,
    pollMs: options.pollMs ?? 250,
    maxWaiting: options.maxWaiting ?? 1000,
  };
  const server = createServer(bundleHandler(new DirectoryRegistry(options.registry), options.log, state));
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new RegistryError(`cannot listen on ${host}:${options.port ?? 0}: ${error.code ?? error.message}`));
    });
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    host,
    port,
    server,
    waiting: () => state.waiting,
    close: () =>
      new Promise<void>((resolve) => {
        state.closing = true;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function bundleHandler(registry: DirectoryRegistry, log?: (line: string) => void, state: ServerState = { closing: false, waiting: 0, maxWaitSeconds: 120, pollMs: 250, maxWaiting: 1000 }) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(registry, request, response, state).then(
      (note) => log?.(`${request.method} ${request.url} ${response.statusCode}${note ? ` ${note}` : ''}`),
      (error: unknown) => {
        if (!response.headersSent) send(response, 500, 'internal error\n');
        else response.destroy();
        log?.(`${request.method} ${request.url} 500 ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}

async function handle(registry: DirectoryRegistry, request: IncomingMessage, response: ServerResponse, state: ServerState): Promise<string | undefined> {
  const method = request.method ?? 'GET';
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (method !== 'GET' && method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    send(response, 405, 'method not allowed\n');
    return undefined;
  }
  if (path === '/health') {
    try {
      await registry.readIndex();
      send(response, 200, '{"status":"ok"}\n', 'application/json', method);
    } catch (error) {
      send(response, 503, `{"status":"error","error":${JSON.stringify((error as Error).message)}}\n`, 'application/json', method);
    }
    return undefined;
  }
  const match = /^\/bundles\/(.+)\/([^/]+)$/.exec(path);
  if (match === null) {
    send(response, 404, 'not found\n');
    return undefined;
  }
  let name: string;
  let ref: string;
  try {
    name = decodeURIComponent(match[1]!);
    ref = decodeURIComponent(match[2]!);
  } catch {
    send(response, 400, 'bad path encoding\n');
    return undefined;
  }
  if (!isBundleName(name) || !(isVersion(ref) || isChannel(ref))) {
    send(response, 404, 'not found\n');
    return undefined;
  }
  let resolved;
  try {
    resolved = await registry.resolve(name, ref);
  } catch (error) {
    if (!(error instanceof RegistryError)) throw error;
    send(response, 404, `${error.message}\n`);
    return undefined;
  }
  const prefer = request.headers.prefer;
  const wait = longPollWait(Array.isArray(prefer) ? prefer.join(",") : prefer);
  let held = false;
  if (wait > 0 && state.waiting < state.maxWaiting && etagMatches(request.headers['if-none-match'], `"${resolved.digest}"`)) {
    const deadline = Date.now() + Math.min(wait, state.maxWaitSeconds) * 1000;
    const current = resolved.digest;
    state.waiting++;
    try {
      while (Date.now() < deadline && !state.closing && !request.destroyed && !response.destroyed) {
        await new Promise((r) => setTimeout(r, state.pollMs));
        let again;
        try {
          again = await registry.resolve(name, ref);
        } catch {
          break; // gone meanwhile: answered below from what we had
        }
        if (again.digest !== current) {
          resolved = again;
          held = true;
          break;
        }
      }
    } finally {
      state.waiting--;
    }
    if (request.destroyed || response.destroyed) return 'client gone';
  }
  const etag = `"${resolved.digest}"`;
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', resolved.channel === undefined ? 'public, max-age=31536000, immutable' : 'no-cache');
  response.setHeader('Cipa-Bundle-Version', resolved.version);
  if (wait > 0) response.setHeader('Content-Type', LONG_POLL_TYPE);
  if (etagMatches(request.headers['if-none-match'], etag)) {
    response.statusCode = 304;
    response.end();
    return `${resolved.digest}${wait > 0 ? ' long-poll' : ''}`;
  }
  const { bytes } = await registry.read(name, resolved.version);
  response.statusCode = 200;
  if (wait === 0) response.setHeader('Content-Type', 'application/gzip');
  response.setHeader('Content-Length', String(bytes.byteLength));
  response.end(method === 'HEAD' ? undefined : bytes);
  return `${resolved.digest}${held ? ' after long-poll hold' : ''}`;
}

/** Seconds asked for by `Prefer: modes=snapshot,delta;wait=N` (0 when not long polling). */
function longPollWait(prefer: string | undefined): number {
  const match = /(?:^|[;,\s])wait=(\d{1,6})(?:$|[;,\s])/.exec(prefer ?? '');
  return match === null ? 0 : Number(match[1]);
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2): `*`, or any listed tag equal once W/ is dropped. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined || header.trim() === '') return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

function send(response: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', method = 'GET'): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.setHeader('Content-Length', String(Buffer.byteLength(body)));
  response.end(method === 'HEAD' ? undefined : body);
}
