import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { readBundleDefinition, type BundleDefinition } from '../policy/definition.js';

/** Bundle definition names `cipa test` looks for at the root of a policy repository, in this order. */
export const DEFINITION_NAMES = ['bundle.yaml', 'bundle.yml', 'bundle.json'] as const;

/** What `cipa test [dir]` works on: the policy directories, the fixtures and the bundle definition. */
export interface PolicyProject {
  /** The directory (or definition file) as given. */
  root: string;
  /** The definition the bundle is built from (synthesised for a bare policy directory). */
  definition: BundleDefinition;
  /** Every policy directory (absolute), the built-in library included when the definition lists it. */
  policyDirs: string[];
  /** The policy directories that belong to the project (not the built-in library): their tests, controls and coverage are reported. */
  ownDirs: string[];
  /** testdata/controls (absolute), or undefined when the project has no fixtures. */
  fixturesDir: string | undefined;
}

export function builtinRegoDir(): string {
  return join(packageRoot(), 'rego');
}

/**
 * Resolves what to test from a path:
 * - a bundle definition file (YAML/JSON): its policy directories; fixtures in testdata/controls beside it;
 * - a repository holding bundle.yaml (what `cipa init` writes) or exactly one bundles/*.yaml: the same;
 * - a policy directory (one holding cipa/): itself; fixtures in its testdata/controls or ../testdata/controls.
 * `fixtures` overrides where fixtures are read from.
 */
export async function resolveProject(path: string, options: { fixtures?: string } = {}): Promise<PolicyProject> {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new InputError(path, 'no such file or directory', 'give a policy directory, a policy repository or a bundle definition');
  let definitionFile: string | undefined;
  let fixtureBases: string[];
  if (statSync(abs).isFile()) {
    definitionFile = abs;
    fixtureBases = [dirname(abs), join(dirname(abs), '..')];
  } else {
    definitionFile = DEFINITION_NAMES.map((n) => join(abs, n)).find((f) => existsSync(f));
    if (!definitionFile && !existsSync(join(abs, 'cipa')) && existsSync(join(abs, 'bundles'))) {
      const candidates = readdirSync(join(abs, 'bundles')).filter((n) => /\.(ya?ml|json)$/.test(n));
      if (candidates.length === 1) definitionFile = join(abs, 'bundles', candidates[0]!);
    }
    fixtureBases = definitionFile ? [abs] : [abs, join(abs, '..')];
  }
  let definition: BundleDefinition;
  if (definitionFile) {
    definition = await readBundleDefinition(definitionFile);
  } else {
    if (!existsSync(join(abs, 'cipa'))) {
      throw new InputError(path, 'holds neither a bundle definition (bundle.yaml) nor a cipa/ policy tree', 'run `cipa init` to create a policy repository, or point at a directory with cipa/controls/…');
    }
    definition = { name: basename(abs).toLowerCase().replace(/[^a-z0-9._-]/g, '-') || 'policy', version: '0.0.0', policy: [abs], data: [], file: abs };
  }
  // The built-in library (the installed one, or any copy of it: the directory providing the aggregator
  // cipa/main) is tested by cipa itself; the project's own directories are the others.
  const builtin = resolve(builtinRegoDir());
  const own = definition.policy.filter((d) => resolve(d) !== builtin && !existsSync(join(d, 'cipa', 'main', 'main.rego')));
  let fixturesDir: string | undefined;
  if (options.fixtures !== undefined) {
    fixturesDir = resolve(options.fixtures);
    if (!existsSync(fixturesDir)) throw new InputError(options.fixtures, 'no such directory', 'fixtures live in testdata/controls/<control id>/');
  } else {
    fixturesDir = fixtureBases.map((b) => join(b, 'testdata', 'controls')).find((d) => existsSync(d));
  }
  return {
    root: path,
    definition,
    policyDirs: definition.policy,
    ownDirs: own.length > 0 ? own : definition.policy,
    fixturesDir,
  };
}
