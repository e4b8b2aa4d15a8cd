import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { CompileError } from '../errors.js';
import { runOpa } from '../opa/run.js';
import { displayPath, packageRoot } from '../paths.js';
import { extractFile } from './tarball.js';

export const ENTRYPOINT = 'cipa/main/report';

export function capabilitiesPath(): string {
  return join(packageRoot(), 'rego', 'capabilities.json');
}

/**
 * Compiles a policy directory to one Wasm module with the single aggregated entrypoint, limited to the builtins
 * Node can run. A policy that calls anything else fails here, naming the builtin, the file and the line.
 */
export async function compileWasm(policyDirs: string[]): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'cipa-build-'));
  try {
    // opa writes source paths into the module: compiling a staged copy by relative paths keeps the bytes the same
    // whichever directory the sources were checked out to.
    const staged = join(dir, 'policy');
    const origins = new Map<string, string>();
    for (const policyDir of policyDirs) {
      for (const entry of await readdir(policyDir, { withFileTypes: true, recursive: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.rego') || entry.name.endsWith('_test.rego')) continue;
        const from = join(entry.parentPath, entry.name);
        const path = relative(policyDir, from).split(sep).join('/');
        origins.set(path, from);
        await cp(from, join(staged, path));
      }
    }
    const out = join(dir, 'wasm.tar.gz');
    const result = await runOpa(
      ['build', '-t', 'wasm', '-e', ENTRYPOINT, '--capabilities', capabilitiesPath(), '-o', out, ...[...origins.keys()].sort()],
      { cwd: staged },
    );
    if (result.code !== 0) throw compileError(result.stderr || result.stdout, origins);
    return await extractFile(await readFile(out), 'policy.wasm');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Turns opa's compiler output into one line: file:line and the problem, with the fix for unavailable builtins. */
export function compileError(output: string, origins: ReadonlyMap<string, string> = new Map()): CompileError {
  const lines = output
    .split('\n')
    .map((l) => l.trim().replace(/^error: \d+ errors? occurred:\s*/, ''))
    .filter(Boolean);
  const located = lines.find((l) => /^\S+\.rego:\d+:/.test(l)) ?? lines.find((l) => !/errors? occurred:?$/.test(l)) ?? 'opa build failed';
  const m = /^(\S+\.rego):(\d+): (\S+): (.*)$/.exec(located);
  if (!m) return new CompileError(`opa build failed: ${located}`);
  const file = displayPath(origins.get(m[1]!) ?? m[1]!);
  const message = m[4]!;
  const undefinedFn = /undefined function (\S+)/.exec(message);
  if (undefinedFn) {
    return new CompileError(
      `${file}:${m[2]}: builtin ${undefinedFn[1]} is not available in the Wasm path`,
      `cipa evaluates in Node, where only the builtins in rego/capabilities.json run; rewrite without ${undefinedFn[1]}`,
    );
  }
  const more = lines.filter((l) => /^\S+\.rego:\d+:/.test(l)).length - 1;
  return new CompileError(`${file}:${m[2]}: ${message}${more > 0 ? ` (and ${more} more)` : ''}`);
}
