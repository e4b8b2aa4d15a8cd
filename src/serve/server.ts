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
}

export interface RunningBundleServer {
  url: string;
  host: string;
  port: number;
  server: Server;
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
  const server = createServer(bundleHandler(new DirectoryRegistry(options.registry), options.log));
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function bundleHandler(registry: DirectoryRegistry, log?: (line: string) => void) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    handle(registry, request, response).then(
      (note) => log?.(`${request.method} ${request.url} ${response.statusCode}${note ? ` ${note}` : ''}`),
      (error: unknown) => {
        if (!response.headersSent) send(response, 500, 'internal error\n');
        else response.destroy();
        log?.(`${request.method} ${request.url} 500 ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}

async function handle(registry: DirectoryRegistry, request: IncomingMessage, response: ServerResponse): Promise<string | undefined> {
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
  const etag = `"${resolved.digest}"`;
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', resolved.channel === undefined ? 'public, max-age=31536000, immutable' : 'no-cache');
  response.setHeader('Cipa-Bundle-Version', resolved.version);
  if (etagMatches(request.headers['if-none-match'], etag)) {
    response.statusCode = 304;
    response.end();
    return resolved.digest;
  }
  const { bytes } = await registry.read(name, resolved.version);
  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/gzip');
  response.setHeader('Content-Length', String(bytes.byteLength));
  response.end(method === 'HEAD' ? undefined : bytes);
  return resolved.digest;
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
