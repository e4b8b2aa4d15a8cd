import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

const live = new Set<ChildProcess>();
const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Spawns a child that `killAll()` will end; stdout and stderr are collected. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Kills every child still running (SIGKILL, by pid); call from afterAll. */
export function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function collect(child: ChildProcess): { output: () => { stdout: string; stderr: string }; done: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Finished>((resolveDone) => {
    child.once('close', (code, signal) => resolveDone({ code, signal, stdout, stderr }));
  });
  return { output: () => ({ stdout, stderr }), done };
}

/** Resolves when `predicate(stdout)` holds; rejects on exit or after timeoutMs. */
export function waitForOutput(child: ChildProcess, predicate: (stdout: string) => boolean, timeoutMs: number, what: string): Promise<string> {
  return new Promise((resolveWait, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: not seen within ${timeoutMs} ms; stdout so far: ${stdout}`));
    }, timeoutMs);
    const onData = (d: Buffer | string) => {
      stdout += d.toString();
      if (predicate(stdout)) {
        cleanup();
        resolveWait(stdout);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${what}: process exited (${code}) first; stdout: ${stdout}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Bundles a TypeScript entry (and the src/ it imports) into one ESM file that plain node runs. */
export function bundleScript(entry: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cipa-child-'));
  scratch.push(dir);
  const out = join(dir, 'child.mjs');
  const esbuild = join(repoRoot, 'node_modules', '.bin', 'esbuild');
  const result = spawnSync(esbuild, [join(repoRoot, entry), '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${out}`, '--log-level=error'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`esbuild ${entry} failed: ${result.stderr || result.error?.message}`);
  return out;
}

export function spawnNode(script: string, args: string[]): ChildProcess {
  return track(spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }));
}
