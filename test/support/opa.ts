import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { locateOpa } from '../../src/opa/locate.js';
import { track } from './children.js';

const made: string[] = [];
// Registered on the importing test file's root suite (vitest isolates modules per file): its temp dirs go with it.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp directory, removed after the test file that made it. */
export function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls `probe` every intervalMs until it returns a value other than undefined; fails after timeoutMs. */
export async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

export function rsaKeys(): { privatePem: string; publicPem: string; dir: string; privatePath: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dir = tmp('cipa-keys-');
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privatePath = join(dir, 'private.pem');
  writeFileSync(privatePath, privatePem, { mode: 0o600 });
  return { privatePem, publicPem, dir, privatePath };
}

/**
 * A small bundle built by the real `opa build`: one policy file per entry of `files`, a revision, optionally signed
 * (RS256). Built by opa on purpose: the serve and OCI tests then also check cipa against bundles it did not write;
 * cipa-built and cipa-signed bundles are covered by test/e2e/bundle-release.test.ts.
 */
export function opaBuild(files: Record<string, string>, options: { revision: string; signingKey?: string }): Uint8Array {
  const dir = tmp('cipa-src-');
  const src = join(dir, 'src');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(src, name, '..'), { recursive: true });
    writeFileSync(join(src, name), text);
  }
  const out = join(dir, 'bundle.tar.gz');
  const args = ['build', '-b', '.', '-o', out, '--revision', options.revision];
  if (options.signingKey !== undefined) args.push('--signing-key', options.signingKey, '--signing-alg', 'RS256');
  const result = spawnSync(locateOpa().path, args, { cwd: src, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`opa build failed: ${result.stderr || result.error?.message}`);
  const buffer = readFileSync(out);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export interface RunningOpa {
  url: string;
  logs(): string;
  stop(): void;
  /** GET <url><path>, JSON-decoded. */
  get(path: string): Promise<{ status: number; body: unknown }>;
}

/**
 * `opa run --server` on a free loopback port with the given config; resolves once /health answers 200. Retries on
 * a fresh port (up to 3 times) if OPA exits at start, e.g. because the port was taken in between.
 */
export async function startOpa(config: unknown): Promise<RunningOpa> {
  let failure: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOpaOnce(config);
    } catch (error) {
      failure = error as Error;
      if (!/opa exited/.test(failure.message)) throw failure;
    }
  }
  throw failure!;
}

async function startOpaOnce(config: unknown): Promise<RunningOpa> {
  const dir = tmp('cipa-opa-');
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const port = await freePort();
  const opa = locateOpa();
  const child = track(spawn(opa.path, ['run', '--server', '--addr', `127.0.0.1:${port}`, '--config-file', configPath,
    '--log-level', 'debug', '--log-format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }));
  let logs = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (logs += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (logs += d));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `opa exited (${code ?? signal})`));
  const url = `http://127.0.0.1:${port}`;
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  try {
    await waitUntil(async () => {
      if (exited) throw new Error(exited);
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      return response.status === 200 ? true : undefined;
    }, 30_000, `opa ${opa.version} to answer /health on ${url}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- opa logs ---\n${logs}`);
  }
  return { url, logs: () => logs, stop: () => child.kill('SIGKILL'), get };
}
