import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle } from '../../src/policy/build.js';
import { ROOT } from '../support/cli.js';

export const CONTROL_DIR = 'cipa/controls/aws/s3_bucket_default_encryption';
export const CONTROL_FILE = `${CONTROL_DIR}/s3_bucket_default_encryption.rego`;
export const CONTROL_ID = 'CIPA-AWS-S3-02';

/**
 * A small copy of the built-in library in a temp dir: <root>/rego with the shared libraries, the aggregator, the
 * settings and one control (CIPA-AWS-S3-02, which has unit tests), and <root>/testdata/controls with its fixtures.
 */
export function smallPolicy(): { root: string; rego: string; control: string; fixtures: string } {
  const root = mkdtempSync(join(tmpdir(), 'cipa-authoring-'));
  const rego = join(root, 'rego');
  const fixtures = join(root, 'testdata', 'controls', CONTROL_ID.toLowerCase());
  committed(root, [...['cipa/lib', 'cipa/main', 'cipa/settings', CONTROL_DIR].map((p) => `rego/${p}`), `testdata/controls/${CONTROL_ID.toLowerCase()}`]);
  // The aggregator's own tests speak about the whole library; this copy has one control.
  for (const f of readdirSync(join(rego, 'cipa', 'main'))) if (f.endsWith('_test.rego')) rmSync(join(rego, 'cipa', 'main', f));
  return { root, rego, control: join(rego, CONTROL_FILE), fixtures };
}

/**
 * Extracts paths as committed (HEAD) into dest: the tests work on a consistent library even while files in the
 * working tree are being edited.
 */
export function committed(dest: string, paths: string[]): void {
  mkdirSync(dest, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', 'HEAD', '--', ...paths], { cwd: ROOT, maxBuffer: 256 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dest], { input: tar });
}

/** Replaces line `line` (1-based) of a file. */
export function replaceLine(file: string, line: number, text: string): void {
  const lines = readFileSync(file, 'utf8').split('\n');
  lines[line - 1] = text;
  writeFileSync(file, lines.join('\n'));
}

/** The 1-based line of the first line containing `needle`. */
export function findLine(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

let built: Promise<{ rego: string; path: string; bytes: Buffer }> | undefined;

/** The built-in library as committed, extracted and built once per test worker (see `committed`). */
export function committedBundle(): Promise<{ rego: string; path: string; bytes: Buffer }> {
  built ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'cipa-committed-'));
    committed(root, ['rego']);
    const rego = join(root, 'rego');
    const bundle = await buildBundle({ definition: { name: 'cipa', version: '0.1.0', policy: [rego], data: [], file: join(root, 'definition') } });
    const path = join(root, 'cipa.tar.gz');
    writeFileSync(path, bundle.bytes);
    return { rego, path, bytes: bundle.bytes };
  })();
  return built;
}
