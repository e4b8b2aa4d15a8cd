import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './children.js';
import { freePort, tmp } from './opa.js';

export interface RunningRegistry {
  /** host:port */
  host: string;
  pid: number;
  dir: string;
  stop(): void;
}

/** Starts Debian's docker-registry through test/support/start-registry.sh; throws with its output if it cannot. */
export async function startOciRegistry(extraConfig = ''): Promise<RunningRegistry> {
  let port = 0;
  let dir = '';
  let pid = NaN;
  let failure = '';
  // Retried on a fresh port when the registry exits at start (exit 4), e.g. because the port was taken meanwhile.
  for (let attempt = 0; attempt < 3 && !Number.isInteger(pid); attempt++) {
    port = await freePort();
    dir = tmp('cipa-oci-');
    const result = spawnSync('bash', [join(repoRoot, 'test/support/start-registry.sh'), String(port), dir], {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, CIPA_REGISTRY_EXTRA_CONFIG: extraConfig },
    });
    pid = Number(/^PID (\d+)$/m.exec(result.stdout ?? '')?.[1]);
    failure = `exit ${result.status}: ${result.stderr}${result.error?.message ?? ''}`;
    if (result.status !== 0 && result.status !== 4) break;
  }
  if (!Number.isInteger(pid)) {
    throw new Error(`could not start an OCI registry (docker-registry) with test/support/start-registry.sh (${failure})`);
  }
  return {
    host: `127.0.0.1:${port}`,
    pid,
    dir,
    stop: () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}

/** oras, installed by `go install oras.land/oras/cmd/oras@<ORAS_VERSION>` into .tools/oras-<version>/. */
export const ORAS_VERSION = 'v1.3.6';

/** The pinned oras; installs it with test/support/install-oras.sh (go install) when it is missing. */
export function locateOras(): string {
  if (process.env.CIPA_ORAS) return process.env.CIPA_ORAS;
  const path = join(repoRoot, '.tools', `oras-${ORAS_VERSION}`, 'oras');
  if (existsSync(path)) return path;
  const result = spawnSync('bash', [join(repoRoot, 'test/support/install-oras.sh'), ORAS_VERSION], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0 || !existsSync(path)) {
    throw new Error(`oras ${ORAS_VERSION} is not installed and test/support/install-oras.sh failed (exit ${result.status}): ${result.stderr}${result.error?.message ?? ''}`);
  }
  return path;
}

export function oras(args: string[]): string {
  const result = spawnSync(locateOras(), args, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`oras ${args.join(' ')} failed: ${result.stderr}${result.error?.message ?? ''}`);
  return result.stdout;
}

export const readBytes = (path: string) => {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};
