import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/children.js';
import { tmp as scratch } from '../support/opa.js';

/** Small policy trees for release tests: the real lib, main and settings, plus toy controls on aws_s3_bucket. */

/** A fresh temp directory, removed after the test file that made it. */
export { scratch };

export interface ToyControl {
  /** Package name under cipa.controls.demo, e.g. force_destroy. */
  name: string;
  id: string;
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title?: string;
  enforcedFrom?: string;
  /** The bucket attribute and the value that fails. */
  attribute: string;
  failing: string | boolean;
}

export function controlRego(c: ToyControl): string {
  return [
    '# METADATA',
    `# title: ${c.title ?? `Buckets do not set ${c.attribute} to ${JSON.stringify(c.failing)}`}`,
    '# description: A toy control for the release tests.',
    '# custom:',
    `#   id: ${c.id}`,
    `#   severity: ${c.severity}`,
    '#   aliases: []',
    '#   resource_types: [aws_s3_bucket]',
    '#   remediation: Set the attribute to what the test expects.',
    ...(c.enforcedFrom ? [`#   enforced_from: "${c.enforcedFrom}"`] : []),
    `package cipa.controls.demo.${c.name}`,
    '',
    'import data.cipa.lib.tfplan',
    '',
    'scope contains address if some address in tfplan.by_type.aws_s3_bucket',
    '',
    `fail[address] contains "${c.attribute} is ${String(c.failing).replace(/"/g, '')}" if {`,
    '\tsome address in scope',
    `\ttfplan.value(tfplan.resources[address], ["${c.attribute}"]) == ${JSON.stringify(c.failing)}`,
    '}',
    '',
  ].join('\n');
}

let snapshot: string | undefined;

/**
 * rego/cipa/{lib,main,settings} as committed (git HEAD), tests left out: the toy bundles do not change when someone
 * is editing the working tree meanwhile.
 */
function committedLibrary(): string {
  if (snapshot !== undefined) return snapshot;
  const dir = scratch('cipa-release-rego-');
  const archive = spawnSync('git', ['archive', '--format=tar', 'HEAD', 'rego/cipa/lib', 'rego/cipa/main', 'rego/cipa/settings'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString()}`);
  const untar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (untar.status !== 0) throw new Error(`tar -x failed: ${untar.stderr.toString()}`);
  snapshot = join(dir, 'rego', 'cipa');
  return snapshot;
}

/** A bundle definition (def.yaml) over a fresh policy tree holding `controls`; returns the definition's path. */
export function toyDefinition(name: string, version: string, controls: ToyControl[]): string {
  const dir = scratch('cipa-release-policy-');
  const rego = join(dir, 'rego', 'cipa');
  mkdirSync(rego, { recursive: true });
  const library = committedLibrary();
  for (const part of ['lib', 'main', 'settings']) {
    cpSync(join(library, part), join(rego, part), { recursive: true, filter: (source) => !source.endsWith('_test.rego') });
  }
  for (const c of controls) {
    const at = join(rego, 'controls', 'demo', c.name);
    mkdirSync(at, { recursive: true });
    writeFileSync(join(at, `${c.name}.rego`), controlRego(c));
  }
  const definition = join(dir, 'bundle.yaml');
  writeFileSync(definition, `name: ${name}\nversion: ${version}\npolicy:\n  - rego\n`);
  return definition;
}

/** A plan with two buckets: a (force_destroy, private) and b (no force_destroy, public-read). */
export function bucketPlan(): unknown {
  const bucket = (name: string, after: Record<string, unknown>) => ({
    address: `aws_s3_bucket.${name}`,
    mode: 'managed',
    type: 'aws_s3_bucket',
    name,
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: { actions: ['create'], before: null, after: { bucket: `bucket-${name}`, ...after }, after_unknown: { id: true, arn: true }, before_sensitive: false, after_sensitive: {} },
  });
  return {
    format_version: '1.2',
    terraform_version: '1.5.7',
    resource_changes: [bucket('a', { force_destroy: true, acl: 'private' }), bucket('b', { force_destroy: false, acl: 'public-read' })],
  };
}

/** A directory holding bucketPlan() as plans/buckets.json; returns the directory. */
export function planCorpus(): string {
  const dir = join(scratch('cipa-release-plans-'), 'plans');
  mkdirSync(dir);
  writeFileSync(join(dir, 'buckets.json'), `${JSON.stringify(bucketPlan(), null, 2)}\n`);
  return dir;
}

export const FORCE_DESTROY: ToyControl = { name: 'force_destroy', id: 'CIPA-DEMO-01', severity: 'medium', attribute: 'force_destroy', failing: true };
export const PUBLIC_ACL: ToyControl = { name: 'public_acl', id: 'CIPA-DEMO-02', severity: 'low', attribute: 'acl', failing: 'public-read' };
