import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryRegistry } from '../../src/registry/directory.js';
import { sha256Digest } from '../../src/registry/digest.js';
import { collect, killAll, repoRoot, track } from '../support/children.js';
import { opaBuild, type RunningOpa, startOpa, tmp, waitUntil } from '../support/opa.js';

const runJs = join(repoRoot, 'bin', 'run.js');

/** The CLI runs from dist/: insist that it is built from the current sources rather than test something stale. */
function requireFreshBuild(): void {
  const built = join(repoRoot, 'dist', 'commands', 'serve.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` before the CLI tests`);
  for (const source of ['src/commands/serve.ts', 'src/serve/server.ts', 'src/registry/directory.ts']) {
    if (statSync(join(repoRoot, source)).mtimeMs > statSync(join(repoRoot, 'dist', source.replace(/^src\//, '').replace(/\.ts$/, '.js'))).mtimeMs) {
      throw new Error(`dist/ is older than ${source}: run \`npm run build\` before the CLI tests`);
    }
  }
}

describe('cipa serve (the CLI)', () => {
  let registry: DirectoryRegistry;
  let url: string;
  let stderr: () => string;
  let serve: ReturnType<typeof spawn>;
  let opa: RunningOpa | undefined;

  beforeAll(async () => {
    requireFreshBuild();
    registry = new DirectoryRegistry(tmp('cipa-cli-reg-'));
    await registry.publish(opaBuild({ 'demo.rego': 'package cipa.demo\n\nversion := "cli-1"\n' }, { revision: 'cli-1' }), { name: 'demo', version: '1.0.0', channel: 'stable' });
    serve = track(spawn(process.execPath, [runJs, 'serve', '--registry', registry.root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    const out = collect(serve);
    stderr = () => out.output().stderr;
    const line = await waitUntil(async () => /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr())?.[1], 30_000, `cipa serve to listen; stderr: ${stderr()}`);
    url = line;
  });
  afterAll(() => {
    opa?.stop();
    killAll();
  });

  it('binds to loopback and answers /health and bundle requests with digest ETags', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect((await fetch(`${url}/health`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
    const response = await fetch(`${url}/bundles/demo/stable`, { signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(200);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get('etag')).toBe(`"${sha256Digest(bytes)}"`);
    expect(sha256Digest(bytes)).toBe((await registry.resolve('demo', 'stable')).digest);
    await waitUntil(async () => (stderr().includes('GET /bundles/demo/stable 200 sha256:') ? true : undefined), 5_000, 'a request log line on stderr');
  });

  it('feeds a real OPA and picks up a channel moved by another process', async () => {
    opa = await startOpa({
      services: { cipa: { url } },
      bundles: { demo: { service: 'cipa', resource: 'bundles/demo/stable', polling: { min_delay_seconds: 1, max_delay_seconds: 1 } } },
    });
    const version = async () => ((await opa!.get('/v1/data/cipa/demo/version')).body as { result?: string }).result;
    expect(await waitUntil(version, 30_000, 'OPA to activate via cipa serve')).toBe('cli-1');
    await registry.publish(opaBuild({ 'demo.rego': 'package cipa.demo\n\nversion := "cli-2"\n' }, { revision: 'cli-2' }), { name: 'demo', version: '2.0.0', channel: 'stable' });
    expect(await waitUntil(async () => ((await version()) === 'cli-2' ? 'cli-2' : undefined), 30_000, 'OPA to follow the channel')).toBe('cli-2');
  });

  it('stops cleanly on SIGTERM', async () => {
    const done = collect(serve).done;
    serve.kill('SIGTERM');
    const finished = await done;
    expect(finished.code).toBe(0);
  });

  it('exits 2 with one line naming a registry that does not exist', () => {
    const result = spawnSync(process.execPath, [runJs, 'serve', '--registry', '/nonexistent/cipa-registry', '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: \/nonexistent\/cipa-registry: no such file/);
  });

  it('exits 2 when the port is taken', async () => {
    const holder = createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (holder.address() as AddressInfo).port;
      const result = spawnSync(process.execPath, [runJs, 'serve', '--registry', registry.root, '--port', String(port)], { encoding: 'utf8', timeout: 30_000 });
      expect(result.status).toBe(2);
      expect(result.stderr.trim()).toBe(`error: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
    } finally {
      holder.close();
    }
  });
});
