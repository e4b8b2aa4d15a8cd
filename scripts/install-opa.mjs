#!/usr/bin/env node
// Installs the pinned OPA CLI into .tools/ from the Go module proxy, so that nobody has to edit PATH.
// Idempotent: an existing binary of the pinned version is kept.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { opa: version } = JSON.parse(readFileSync(join(root, 'tools.json'), 'utf8'));
const dir = join(root, '.tools', `opa-${version}`);
const binary = join(dir, 'opa');

function installedVersion() {
  if (!existsSync(binary)) return undefined;
  const out = spawnSync(binary, ['version'], { encoding: 'utf8' });
  return /^Version: (\S+)/m.exec(out.stdout ?? '')?.[1];
}

if (installedVersion() === version.replace(/^v/, '')) {
  process.stderr.write(`opa ${version} already installed at ${binary}\n`);
  process.exit(0);
}

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
if (go.status !== 0) {
  process.stderr.write(`cannot install opa ${version}: Go is not on PATH. Install Go 1.24+ or set CIPA_OPA to an opa ${version} binary.\n`);
  process.exit(2);
}
const staging = join(root, '.tools', `.staging-${process.pid}`);
mkdirSync(staging, { recursive: true });
process.stderr.write(`installing opa ${version} with go install (first run takes a few minutes)...\n`);
try {
  execFileSync('go', ['install', `github.com/open-policy-agent/opa@${version}`], {
    env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
} catch {
  process.stderr.write(`go install github.com/open-policy-agent/opa@${version} failed (see above).\n`);
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
renameSync(join(staging, 'opa'), binary);
process.stderr.write(`installed opa ${version} at ${binary}\n`);
