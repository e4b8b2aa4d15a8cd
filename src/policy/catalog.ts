import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { CompileError } from '../errors.js';
import type { ControlMeta } from '../model.js';
import { runOpaOrThrow } from '../opa/run.js';
import { displayPath, packageRoot } from '../paths.js';
import type { Severity } from '../severity.js';

const CONTROL_PREFIX = 'cipa.controls.';

interface InspectAnnotation {
  annotations: { scope?: string; title?: string; description?: string; custom?: Record<string, unknown> };
  location: { file: string; row: number };
  path: Array<{ value: string }>;
}

interface InspectOutput {
  annotations?: InspectAnnotation[];
  namespaces?: Record<string, string[]>;
}

let validator: ValidateFunction | undefined;

export function metadataValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'control-metadata.schema.json'), 'utf8')) as object;
    validator = new Ajv({ allErrors: true, strict: true }).compile(schema);
  }
  return validator;
}

export interface CatalogProblem {
  file: string;
  line: number;
  message: string;
}

/**
 * Reads every control's METADATA with `opa inspect -a` and checks it against the schema. Returns the catalog and
 * the problems (a control without METADATA, a schema violation, a duplicate id), each at file:line.
 */
export async function readCatalog(policyDir: string): Promise<{ controls: ControlMeta[]; problems: CatalogProblem[] }> {
  const inspected = JSON.parse(await runOpaOrThrow(['inspect', '-a', '--format', 'json', policyDir], 'opa inspect')) as InspectOutput;
  const problems: CatalogProblem[] = [];
  const controls: ControlMeta[] = [];
  const annotated = new Set<string>();
  const validate = metadataValidator();
  for (const entry of inspected.annotations ?? []) {
    const pkg = entry.path.slice(1).map((p) => p.value).join('.');
    if (entry.annotations.scope !== 'package' || !isControlPackage(pkg)) continue;
    const file = relative(policyDir, entry.location.file) || entry.location.file;
    if (isTestFile(file)) continue;
    annotated.add(pkg);
    if (!validate(entry.annotations)) {
      for (const error of validate.errors ?? []) {
        const where = error.instancePath === '' ? 'METADATA' : `METADATA ${error.instancePath.slice(1).replace(/\//g, '.')}`;
        problems.push({ file: shown(policyDir, file), line: entry.location.row, message: `${where} ${error.message ?? 'is invalid'}` });
      }
      continue;
    }
    const custom = entry.annotations.custom as Record<string, unknown>;
    const meta: ControlMeta = {
      id: custom.id as string,
      title: entry.annotations.title as string,
      description: (entry.annotations.description as string).trim(),
      severity: custom.severity as Severity,
      frameworks: (custom.frameworks as Record<string, string[]> | undefined) ?? {},
      aliases: custom.aliases as string[],
      remediation: (custom.remediation as string).trim(),
      resource_types: custom.resource_types as string[],
      package: pkg,
      file,
    };
    if (typeof custom.enforced_from === 'string') meta.enforced_from = custom.enforced_from;
    controls.push(meta);
  }
  for (const [pkg, files] of Object.entries(inspected.namespaces ?? {})) {
    const name = pkg.replace(/^data\./, '');
    if (!isControlPackage(name) || annotated.has(name)) continue;
    const file = files.map((f) => relative(policyDir, f)).find((f) => !isTestFile(f));
    if (file) problems.push({ file: shown(policyDir, file), line: 1, message: `control package ${name} has no METADATA annotation (title, description, custom.id, …)` });
  }
  const seen = new Map<string, ControlMeta>();
  for (const control of controls) {
    const other = seen.get(control.id);
    if (other) problems.push({ file: shown(policyDir, control.file), line: 1, message: `control id ${control.id} is also used by ${other.file}` });
    seen.set(control.id, control);
  }
  controls.sort((a, b) => a.id.localeCompare(b.id));
  return { controls, problems };
}

/** Control packages sit exactly two levels below cipa.controls: cipa.controls.<provider>.<control>. */
function isControlPackage(pkg: string): boolean {
  if (!pkg.startsWith(CONTROL_PREFIX)) return false;
  const rest = pkg.slice(CONTROL_PREFIX.length).split('.');
  return rest.length === 2 && !rest[1]!.endsWith('_test');
}

/** A policy file as the user would type it from the working directory. */
function shown(policyDir: string, file: string): string {
  return displayPath(join(policyDir, file));
}

function isTestFile(file: string): boolean {
  return file.endsWith('_test.rego');
}

export function catalogProblemsError(problems: CatalogProblem[]): CompileError {
  const first = problems[0]!;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new CompileError(`${first.file}:${first.line}: ${first.message}${more}`);
}
