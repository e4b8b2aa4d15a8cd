import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../errors.js';
import { packageRoot } from '../paths.js';

export interface OpaBinary {
  path: string;
  version: string;
}

export function pinnedOpaVersion(): string {
  const tools = JSON.parse(readFileSync(join(packageRoot(), 'tools.json'), 'utf8')) as { opa: string };
  return tools.opa;
}

let cached: OpaBinary | undefined;

/**
 * Finds the OPA CLI: $CIPA_OPA, then the project-local .tools/ installed by `npm run setup`, then `opa` on PATH.
 * Only commands that compile or cross-check need it; evaluating a prebuilt bundle never does.
 */
export function locateOpa(): OpaBinary {
  if (cached) return cached;
  const pinned = pinnedOpaVersion();
  const candidates = [
    process.env.CIPA_OPA,
    join(packageRoot(), '.tools', `opa-${pinned}`, 'opa'),
    'opa',
  ].filter((c): c is string => typeof c === 'string' && c.length > 0);
  for (const candidate of candidates) {
    if (candidate !== 'opa' && !existsSync(candidate)) continue;
    const out = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    const version = /^Version: (\S+)/m.exec(out.stdout ?? '')?.[1];
    if (out.status === 0 && version) {
      cached = { path: candidate, version };
      return cached;
    }
  }
  throw new ToolError(
    `opa ${pinned} not found`,
    'run `npm run setup` (installs it with Go into .tools/) or set CIPA_OPA to an opa binary',
  );
}
