import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rm, stat, unlink, utimes } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RegistryError } from './errors.js';

/**
 * An exclusive inter-process lock: a lock file created atomically with its content (written to a temp file, then
 * hard-linked to the lock path, which fails if the lock exists), holding {pid, host, token}.
 *
 * Why not proper-lockfile: it decides staleness by mtime alone, so a SIGKILLed holder blocks everyone for the whole
 * stale period, and its stale-lock removal can race with a new holder. Here a lock whose holder runs on this host and
 * no longer exists is stale at once (kill(pid, 0)); a lock whose mtime has not been refreshed for `staleMs` is stale
 * too (other hosts on a shared filesystem, pid reuse). A stale lock is removed only under a second lock file
 * (`.break`), after checking that it is still the same stale lock, so two waiters never both break it.
 */
export interface LockOptions {
  /** Give up waiting after this long (default 30 s). */
  timeoutMs?: number;
  /** A lock not refreshed for this long is stale (default 30 s); the holder refreshes it every staleMs/3. */
  staleMs?: number;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  created: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const held = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await held.release();
  }
}

interface HeldLock {
  release(): Promise<void>;
}

async function acquire(lockPath: string, options: LockOptions): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    token: randomBytes(12).toString('hex'),
    created: new Date().toISOString(),
  };
  const text = JSON.stringify(content);
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath, text)) break;
    const observed = await readQuiet(lockPath);
    if (observed !== undefined && (await isStale(lockPath, observed, staleMs))) {
      await breakStale(lockPath, observed);
      continue;
    }
    if (Date.now() > deadline) {
      throw new RegistryError(`${lockPath}: lock still held after ${timeoutMs} ms (${describe(observed)})`,
        'another publisher is running; if none is, delete the lock file');
    }
    await sleep(Math.min(200, 5 + attempt * 5) + Math.random() * 20);
  }
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, Math.max(100, Math.floor(staleMs / 3)));
  heartbeat.unref();
  return {
    async release() {
      clearInterval(heartbeat);
      const current = await readQuiet(lockPath);
      if (current !== text) {
        throw new RegistryError(`${lockPath}: lock was taken over while held (${describe(current)})`,
          'the lock was judged stale; check for a publisher that stalled for longer than the stale period');
      }
      await unlink(lockPath);
    },
  };
}

async function tryCreate(lockPath: string, text: string): Promise<boolean> {
  const temp = join(dirname(lockPath), `.${basename(lockPath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RegistryError(`${lockPath}: cannot create lock: ${(error as Error).message}`, undefined, error);
  } finally {
    await rm(temp, { force: true });
  }
}

async function readQuiet(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parse(text: string): LockContent | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockContent>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return value as LockContent;
    }
  } catch {
    // not ours, or not a lock: judged by age below
  }
  return undefined;
}

/** True when a process with this pid exists on this host (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(lockPath: string, text: string, staleMs: number): Promise<boolean> {
  const lock = parse(text);
  if (lock !== undefined && lock.host === hostname() && !processAlive(lock.pid)) return true;
  try {
    const info = await stat(lockPath);
    return Date.now() - info.mtimeMs > staleMs;
  } catch {
    return false; // gone already: the next attempt will create it
  }
}

/** Removes the lock only if it still holds the stale content we saw, under a short-lived `.break` lock. */
async function breakStale(lockPath: string, observed: string): Promise<void> {
  const breaker = `${lockPath}.break`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), token: randomBytes(12).toString('hex') });
  if (!(await tryCreate(breaker, mine))) {
    // Someone else is breaking it. A breaker holds `.break` for milliseconds; one older than 10 s died doing it.
    try {
      const info = await stat(breaker);
      if (Date.now() - info.mtimeMs > 10_000) await rm(breaker, { force: true });
    } catch {
      // gone
    }
    await sleep(10);
    return;
  }
  try {
    if ((await readQuiet(lockPath)) === observed) await rm(lockPath, { force: true });
  } finally {
    if ((await readQuiet(breaker)) === mine) await rm(breaker, { force: true });
  }
}

function describe(text: string | undefined): string {
  if (text === undefined) return 'lock gone';
  const lock = parse(text);
  return lock === undefined ? 'unreadable lock content' : `held by pid ${lock.pid} on ${lock.host} since ${lock.created}`;
}
