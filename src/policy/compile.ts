import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CompileError } from '../errors.js';
import { runOpa } from '../opa/run.js';
import { packageRoot } from '../paths.js';
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
    const out = join(dir, 'wasm.tar.gz');
    const result = await runOpa([
      'build', '-t', 'wasm', '-e', ENTRYPOINT,
      '--capabilities', capabilitiesPath(),
      '--ignore', '*_test.rego', '--ignore', '*.json', '--ignore', '*.yaml',
      '-o', out, ...policyDirs,
    ]);
    if (result.code !== 0) throw compileError(result.stderr || result.stdout);
    return await extractFile(await readFile(out), 'policy.wasm');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Turns opa's compiler output into one line: file:line and the problem, with the fix for unavailable builtins. */
export function compileError(output: string): CompileError {
  const lines = output
    .split('\n')
    .map((l) => l.trim().replace(/^error: \d+ errors? occurred:\s*/, ''))
    .filter(Boolean);
  const located = lines.find((l) => /^\S+\.rego:\d+:/.test(l)) ?? lines.find((l) => !/errors? occurred:?$/.test(l)) ?? 'opa build failed';
  const m = /^(\S+\.rego):(\d+): (\S+): (.*)$/.exec(located);
  if (!m) return new CompileError(`opa build failed: ${located}`);
  const file = relative(process.cwd(), m[1]!) || m[1]!;
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
