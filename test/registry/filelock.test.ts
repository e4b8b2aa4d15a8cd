import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../src/registry/errors.js';
import { withFileLock } from '../../src/registry/filelock.js';
import { tmp } from '../support/opa.js';

const lockContent = (pid: number, host: string) => JSON.stringify({ pid, host, token: 'x', created: '2026-01-01T00:00:00Z' });

describe('withFileLock', () => {
  it('serializes critical sections: concurrent read-modify-write loses no update', async () => {
    const dir = tmp('cipa-lock-');
    const counter = join(dir, 'counter');
    writeFileSync(counter, '0');
    await Promise.all(Array.from({ length: 25 }, () => withFileLock(join(dir, '.lock'), async () => {
      const value = Number(readFileSync(counter, 'utf8'));
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      writeFileSync(counter, String(value + 1));
    })));
    expect(readFileSync(counter, 'utf8')).toBe('25');
    expect(existsSync(join(dir, '.lock'))).toBe(false);
  });

  it('waits for a live holder and gives up after the time-out, naming the lock and its holder', async () => {
    const dir = tmp('cipa-lock-');
    const lock = join(dir, '.lock');
    writeFileSync(lock, lockContent(process.pid, hostname()));
    const error = await withFileLock(lock, async () => 'never', { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toBe(`${lock}: lock still held after 300 ms (held by pid ${process.pid} on ${hostname()} since 2026-01-01T00:00:00Z)`);
  });

  it('takes over at once from a holder on this host that no longer exists', async () => {
    const dir = tmp('cipa-lock-');
    const lock = join(dir, '.lock');
    writeFileSync(lock, lockContent(2 ** 22 + 12345, hostname())); // above pid_max's default: not a live process
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000 })).toBe('ran');
  });

  it('judges a lock from another host by its age', async () => {
    const dir = tmp('cipa-lock-');
    const lock = join(dir, '.lock');
    writeFileSync(lock, lockContent(1, 'elsewhere.example'));
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 300, staleMs: 60_000 })).rejects.toThrow(/lock still held/);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000, staleMs: 60_000 })).toBe('ran');
  });

  it('refreshes its own lock while held, so a long critical section is not judged stale', async () => {
    const dir = tmp('cipa-lock-');
    const lock = join(dir, '.lock');
    const refreshed = await withFileLock(lock, async () => {
      const old = new Date(Date.now() - 60_000);
      utimesSync(lock, old, old);
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        if (statSync(lock).mtimeMs > old.getTime() + 30_000) return true;
      }
      return false;
    }, { staleMs: 600 });
    expect(refreshed).toBe(true);
  });

  it('reports a lock that was taken over while held instead of deleting the new holder\'s lock', async () => {
    const dir = tmp('cipa-lock-');
    const lock = join(dir, '.lock');
    const error = await withFileLock(lock, async () => {
      writeFileSync(lock, lockContent(process.pid, 'thief.example'));
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).message).toMatch(/lock was taken over while held \(held by pid \d+ on thief\.example/);
    expect(readFileSync(lock, 'utf8')).toContain('thief.example');
  });
});
