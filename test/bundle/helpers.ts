import { spawn, spawnSync } from 'node:child_process';
import { type KeyObject, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header, type HeaderData } from 'tar';
import type { JwsAlgorithm, SigningKey, VerificationKey } from '../../src/bundle/keys.js';
import { locateOpa } from '../../src/opa/locate.js';
import { track } from '../support/children.js';
import { freePort, waitUntil } from '../support/opa.js';

export const tmp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A small valid cipa bundle's files. */
export function sampleFiles(overrides: Record<string, string> = {}): Map<string, Uint8Array> {
  const files: Record<string, string> = {
    '.manifest': JSON.stringify({ revision: 'r1', roots: ['demo'], rego_version: 1, metadata: { name: 'demo', version: '1.2.3' } }),
    'demo/policy.rego': 'package demo\n\nallow if input.ok\n\ngreeting := data.demo.config.greeting\n',
    'demo/config/data.json': '{"greeting": "hello", "limits": {"max": 1.0, "big": 1e3}}',
    ...overrides,
  };
  return new Map(Object.entries(files).map(([k, v]) => [k, enc(v)]));
}

export interface TestKeyPair {
  algorithm: JwsAlgorithm;
  signing: SigningKey;
  verification: VerificationKey;
  /** What to hand `opa --verification-key`: a PEM public key file, or the HMAC secret file. */
  verificationFile: string;
  /** What to hand `opa --signing-key`. */
  signingFile: string;
}

function pem(key: KeyObject, type: 'spki' | 'pkcs8'): string {
  return key.export({ type, format: 'pem' }).toString();
}

/** Generates a fresh key pair (or HMAC secret) for `algorithm` and writes both halves under `dir`. */
export function testKey(algorithm: JwsAlgorithm, id: string, dir: string): TestKeyPair {
  mkdirSync(dir, { recursive: true });
  const signingFile = join(dir, `${id}.${algorithm}.key`);
  const verificationFile = join(dir, `${id}.${algorithm}.pub`);
  if (algorithm.startsWith('HS')) {
    const secret = randomBytes(32).toString('hex');
    writeFileSync(signingFile, secret, { mode: 0o600 });
    writeFileSync(verificationFile, secret, { mode: 0o600 });
    const bytes = enc(secret);
    return { algorithm, signing: { id, algorithm, key: bytes }, verification: { id, algorithm, key: bytes }, signingFile, verificationFile };
  }
  const pair = algorithm.startsWith('ES')
    ? generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[algorithm as 'ES256'] })
    : generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(signingFile, pem(pair.privateKey, 'pkcs8'), { mode: 0o600 });
  writeFileSync(verificationFile, pem(pair.publicKey, 'spki'));
  return {
    algorithm,
    signing: { id, algorithm, key: pair.privateKey },
    verification: { id, algorithm, key: pair.publicKey },
    signingFile,
    verificationFile,
  };
}

export interface CraftedEntry {
  name: string;
  /** node-tar type name: File, OldFile, Directory, SymbolicLink, Link, CharacterDevice, FIFO, ContiguousFile, ... */
  type?: NonNullable<HeaderData['type']>;
  body?: Uint8Array | string;
  linkpath?: string;
  /** Size written in the header (defaults to the body's length). */
  size?: number;
  /** pax extended header records written before the entry (e.g. {path: "../x"}). */
  pax?: Record<string, string>;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}

function block(header: Header): Uint8Array {
  const buf = Buffer.alloc(512);
  header.encode(buf, 0);
  return new Uint8Array(buf.buffer, buf.byteOffset, 512);
}

function padded(bytes: Uint8Array): Uint8Array[] {
  const pad = (512 - (bytes.length % 512)) % 512;
  return pad ? [bytes, new Uint8Array(pad)] : [bytes];
}

/** An uncompressed tar with exactly the entries given, for crafting hostile archives. */
export function craftTar(entries: CraftedEntry[], options: { end?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.pax) {
      const body = enc(Object.entries(entry.pax).map(([k, v]) => paxRecord(k, v)).join(''));
      parts.push(block(new Header({ path: 'PaxHeader', type: 'ExtendedHeader', size: body.length, mode: 0o644, mtime: new Date(0) })));
      parts.push(...padded(body));
    }
    const body = typeof entry.body === 'string' ? enc(entry.body) : (entry.body ?? new Uint8Array(0));
    const type = entry.type ?? 'File';
    const header = new Header({
      path: entry.name,
      type,
      size: entry.size ?? (type === 'File' || type === 'OldFile' || type === 'ContiguousFile' ? body.length : 0),
      mode: 0o644,
      uid: 0,
      gid: 0,
      mtime: new Date(0),
      ...(entry.linkpath === undefined ? {} : { linkpath: entry.linkpath }),
    });
    parts.push(block(header));
    if (body.length) parts.push(...padded(body));
  }
  if (options.end !== false) parts.push(new Uint8Array(1024));
  return new Uint8Array(Buffer.concat(parts));
}

export function gzip(bytes: Uint8Array): Uint8Array {
  const out = gzipSync(bytes);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

export const craftTarGz = (entries: CraftedEntry[], options: { end?: boolean } = {}): Uint8Array => gzip(craftTar(entries, options));

/** Writes a bundle's files as a directory tree (for `opa sign --bundle <dir>` / `opa build -b <dir>`). */
export function writeTree(root: string, files: ReadonlyMap<string, Uint8Array>): void {
  for (const [name, bytes] of files) {
    const path = join(root, name.replace(/^\//, ''));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  }
}

export interface OpaResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function opa(args: string[], cwd: string): OpaResult {
  const result = spawnSync(locateOpa().path, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? result.error?.message ?? '' };
}

export interface OpaServer {
  url: string;
  stop(): void;
  get(path: string): Promise<{ status: number; body: unknown }>;
}

/** `opa run --server -b <bundle>` with the given extra flags; resolves when /health answers, rejects if opa exits. */
export async function startOpaServer(flags: string[], cwd: string): Promise<OpaServer> {
  const port = await freePort();
  const child = track(
    spawn(locateOpa().path, ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', ...flags], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let logs = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (logs += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (logs += d));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `opa exited (${code ?? signal}): ${logs}`));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(async () => {
      if (exited) throw new Error(exited);
      const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      return response.status === 200 ? true : undefined;
    }, 30_000, `opa on ${url}`, 100);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    stop: () => child.kill('SIGKILL'),
    get: async (path: string) => {
      const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}

/** Decodes a compact JWS's header and payload (for asserting what was signed). */
export function decodeJws(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = jwt.split('.');
  return {
    header: JSON.parse(Buffer.from(h ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p ?? '', 'base64url').toString('utf8')) as Record<string, unknown>,
  };
}
