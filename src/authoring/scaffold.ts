import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { displayPath } from '../paths.js';
import { BUILTIN_POLICY } from '../policy/definition.js';
import { DEFINITION_NAMES, resolveProject } from './project.js';

const ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;
const SEGMENT = /^[a-z][a-z0-9_]*$/;

/** Terraform provider prefix of a provider as people say it. */
const PROVIDER_PREFIX: Record<string, string> = { aws: 'aws', azure: 'azurerm', azurerm: 'azurerm', gcp: 'google', google: 'google' };

/** The resource type an example control for (provider, service) checks. */
const SERVICE_TYPES: Record<string, Record<string, string>> = {
  aws: { s3: 'aws_s3_bucket', ec2: 'aws_instance', rds: 'aws_db_instance', kms: 'aws_kms_key', iam: 'aws_iam_role', lambda: 'aws_lambda_function', sqs: 'aws_sqs_queue', sns: 'aws_sns_topic', dynamodb: 'aws_dynamodb_table', ebs: 'aws_ebs_volume', vpc: 'aws_vpc' },
  azurerm: { storage: 'azurerm_storage_account', vm: 'azurerm_linux_virtual_machine', sql: 'azurerm_mssql_server', keyvault: 'azurerm_key_vault', network: 'azurerm_virtual_network' },
  google: { storage: 'google_storage_bucket', gcs: 'google_storage_bucket', compute: 'google_compute_instance', sql: 'google_sql_database_instance', kms: 'google_kms_crypto_key' },
};

export interface NewControlOptions {
  /** Policy directory (holding cipa/) or repository (with bundle.yaml); default the working directory. */
  dir?: string;
  id: string;
  provider?: string;
  service?: string;
  /** Package segment under cipa.controls (the organisation, or the provider in the built-in library). */
  namespace?: string;
  /** Control name (package's last segment); default from the id. */
  name?: string;
  resourceType?: string;
  /** Fixtures directory; default the project's testdata/controls. */
  fixtures?: string;
}

export interface ScaffoldResult {
  /** Written files, relative to the working directory. */
  files: string[];
  package?: string;
}

/**
 * Writes a control ready for `cipa test`: cipa/controls/<namespace>/<name>/<name>.rego with METADATA,
 * <name>_test.rego, and a failing and a passing fixture with their expectations. Never overwrites a file.
 */
export async function newControl(options: NewControlOptions): Promise<ScaffoldResult> {
  const id = options.id.toUpperCase();
  if (!ID_PATTERN.test(id)) throw new UsageError(`control id ${options.id} is not of the form ORG-SERVICE-01`, 'use capitals, digits and dashes, e.g. ACME-S3-01');
  const provider = PROVIDER_PREFIX[(options.provider ?? 'aws').toLowerCase()];
  if (!provider) throw new UsageError(`--provider ${options.provider} is not one of aws, azure, gcp`);
  const service = (options.service ?? defaultService(provider)).toLowerCase();
  const resourceType = options.resourceType ?? SERVICE_TYPES[provider]?.[service] ?? `${provider}_${service}`;
  if (!/^[a-z][a-z0-9_]*$/.test(resourceType)) throw new UsageError(`resource type ${resourceType} is not a Terraform resource type`);

  const root = resolve(options.dir ?? '.');
  const { policyDir, fixturesDir, namespace: found } = await locateTargets(root, options.fixtures);
  const namespace = options.namespace ?? found ?? (provider === 'azurerm' ? 'azure' : provider === 'google' ? 'gcp' : provider);
  const name = options.name ?? id.toLowerCase().replace(/-/g, '_').replace(/^[^a-z]+/, '');
  for (const [what, value] of [['namespace', namespace], ['name', name]] as const) {
    if (!SEGMENT.test(value)) throw new UsageError(`control ${what} ${value} is not a Rego package segment`, 'use lower case letters, digits and _');
  }
  const pkg = `cipa.controls.${namespace}.${name}`;
  const controlDir = join(policyDir, 'cipa', 'controls', namespace, name);
  const caseDir = join(fixturesDir, id.toLowerCase());
  const tagKey = provider === 'google' ? 'labels' : 'tags';
  const files: Array<[string, string]> = [
    [join(controlDir, `${name}.rego`), controlRego({ id, pkg, resourceType, tagKey })],
    [join(controlDir, `${name}_test.rego`), controlTest({ pkg, resourceType, tagKey })],
    [join(caseDir, 'failing.json'), fixturePlan(provider, resourceType, 'untagged', tagKey, { environment: 'dev' })],
    [join(caseDir, 'failing.expect.json'), expectation(id, { [`${resourceType}.untagged`]: 'fail' })],
    [join(caseDir, 'passing.json'), fixturePlan(provider, resourceType, 'owned', tagKey, { owner: 'platform-team', environment: 'dev' })],
    [join(caseDir, 'passing.expect.json'), expectation(id, { [`${resourceType}.owned`]: 'pass' })],
  ];
  const existing = files.map(([f]) => f).filter((f) => existsSync(f));
  if (existsSync(controlDir)) existing.unshift(controlDir);
  if (existing.length > 0) throw new InputError(displayPath(existing[0]!), 'already exists', 'choose another id or --name; cipa never overwrites a control');
  for (const [file, text] of files) await writeFileAtomic(file, text);
  return { files: files.map(([f]) => displayPath(f)), package: pkg };
}

function defaultService(provider: string): string {
  return provider === 'aws' ? 's3' : provider === 'azurerm' ? 'storage' : 'storage';
}

/** Where a new control goes: the project's own policy directory and fixtures; the namespace already in use there. */
async function locateTargets(root: string, fixtures: string | undefined): Promise<{ policyDir: string; fixturesDir: string; namespace?: string }> {
  let policyDir: string;
  let base: string;
  if (existsSync(join(root, 'cipa')) && !DEFINITION_NAMES.some((n) => existsSync(join(root, n)))) {
    policyDir = root;
    base = existsSync(join(root, 'testdata')) || !existsSync(join(root, '..', 'testdata')) ? root : join(root, '..');
  } else {
    const project = await resolveProject(root);
    if (project.ownDirs.length !== 1) {
      throw new InputError(project.definition.file, `lists ${project.ownDirs.length} policy directories of its own`, 'run cipa new control inside the one to add to');
    }
    policyDir = project.ownDirs[0]!;
    base = root;
  }
  const fixturesDir = fixtures !== undefined ? resolve(fixtures) : join(base, 'testdata', 'controls');
  const controlsDir = join(policyDir, 'cipa', 'controls');
  const namespaces = existsSync(controlsDir) ? readdirSync(controlsDir).filter((n) => statSync(join(controlsDir, n)).isDirectory()) : [];
  return namespaces.length === 1 ? { policyDir, fixturesDir, namespace: namespaces[0]! } : { policyDir, fixturesDir };
}

function controlRego(o: { id: string; pkg: string; resourceType: string; tagKey: string }): string {
  return `# METADATA
# title: ${o.resourceType} resources name their owner
# description: |
#   Every ${o.resourceType} carries an \`owner\` entry in ${o.tagKey}, so that a finding reaches the team that can fix it.
#   When ${o.tagKey} are only known after apply the resource is undecided (unknown).
# custom:
#   id: ${o.id}
#   severity: medium
#   aliases: []
#   resource_types: [${o.resourceType}]
#   remediation: |
#     Set the owner in ${o.tagKey}:
#
#       resource "${o.resourceType}" "this" {
#         ${o.tagKey} = {
#           owner = "platform-team"
#         }
#       }
package ${o.pkg}

import data.cipa.lib.tfplan

# Every ${o.resourceType} in the plan (created, updated or unchanged) is decided by this control.
scope contains address if some address in tfplan.by_type.${o.resourceType}

fail[address] contains "${o.tagKey}.owner is not set" if {
	some address in scope
	resource := tfplan.resources[address]
	not tfplan.is_unknown(resource, ["${o.tagKey}", "owner"])
	not _has_owner(resource)
}

unknown[address] contains "${o.tagKey}.owner is only known after apply" if {
	some address in scope
	resource := tfplan.resources[address]
	tfplan.is_unknown(resource, ["${o.tagKey}", "owner"])
}

_has_owner(resource) if {
	owner := tfplan.value(resource, ["${o.tagKey}", "owner"])
	is_string(owner)
	owner != ""
}
`;
}

function controlTest(o: { pkg: string; resourceType: string; tagKey: string }): string {
  const address = `${o.resourceType}.example`;
  return `package ${o.pkg}_test

import data.${o.pkg} as control

_plan(after, after_unknown) := {"resource_changes": [{
	"address": "${address}",
	"mode": "managed",
	"type": "${o.resourceType}",
	"name": "example",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}]}

test_owner_passes if {
	plan := _plan({"${o.tagKey}": {"owner": "platform-team"}}, {})
	control.scope["${address}"] with input as plan
	not control.fail["${address}"] with input as plan
	not control.unknown["${address}"] with input as plan
}

test_missing_owner_fails if {
	control.fail["${address}"] with input as _plan({"${o.tagKey}": {"environment": "dev"}}, {})
}

test_no_${o.tagKey}_fails if {
	control.fail["${address}"] with input as _plan({"${o.tagKey}": null}, {})
}

test_${o.tagKey}_known_after_apply_is_unknown if {
	plan := _plan({}, {"${o.tagKey}": true})
	control.unknown["${address}"] with input as plan
	not control.fail["${address}"] with input as plan
}

test_other_types_out_of_scope if {
	plan := {"resource_changes": [{
		"address": "null_resource.x", "mode": "managed", "type": "null_resource", "name": "x",
		"change": {"actions": ["create"], "after": {}, "after_unknown": {}},
	}]}
	count(control.scope) == 0 with input as plan
}
`;
}

function fixturePlan(provider: string, type: string, name: string, tagKey: string, tags: Record<string, string>): string {
  const providerName = `registry.terraform.io/hashicorp/${provider}`;
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    resource_changes: [
      {
        address: `${type}.${name}`,
        mode: 'managed',
        type,
        name,
        provider_name: providerName,
        change: { actions: ['create'], before: null, after: { [tagKey]: tags }, after_unknown: { id: true }, before_sensitive: false, after_sensitive: { [tagKey]: {} } },
      },
    ],
    configuration: {
      provider_config: { [provider]: { name: provider, full_name: providerName } },
      root_module: {
        resources: [
          { address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: provider, expressions: { [tagKey]: { constant_value: tags } }, schema_version: 0 },
        ],
      },
    },
  };
  return `${JSON.stringify(plan, null, 2)}\n`;
}

function expectation(control: string, decisions: Record<string, string>): string {
  return `${JSON.stringify({ control, decisions }, null, 2)}\n`;
}

// --- cipa init -------------------------------------------------------------------------------------------------------

export interface InitOptions {
  /** Organisation (Rego package segment and id prefix); default from the directory name. */
  org?: string;
}

/**
 * A new policy repository: bundle.yaml (the built-in controls plus the organisation's own), cipa.yaml, settings
 * for approved services and module sources, one example control with tests and fixtures, a CI recipe and a
 * README. `cipa test` passes in it straight away and `cipa bundle build bundle.yaml` builds it.
 */
export async function initRepository(dir: string, options: InitOptions = {}): Promise<ScaffoldResult> {
  const root = resolve(dir);
  const org = (options.org ?? basename(root)).toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^[^a-z]+/, '').replace(/_+$/, '') || 'org';
  if (!SEGMENT.test(org)) throw new UsageError(`organisation ${org} is not a Rego package segment`, 'use --org with lower case letters, digits and _');
  const prefix = org.toUpperCase().replace(/_/g, '');
  const bundleName = `${org.replace(/_/g, '-')}-policy`;
  const files: Array<[string, string]> = [
    ['bundle.yaml', bundleYaml(bundleName)],
    ['cipa.yaml', cipaYaml(bundleName)],
    ['settings/approved-services.yaml', approvedServicesYaml()],
    ['settings/module-sources.yaml', moduleSourcesYaml(org)],
    ['.github/workflows/cipa.yml', ciRecipe(bundleName)],
    ['.gitignore', 'dist/\n'],
    ['README.md', readme(org, prefix, bundleName)],
  ];
  const exists = files.map(([f]) => join(root, f)).find((f) => existsSync(f)) ?? (existsSync(join(root, 'policy')) ? join(root, 'policy') : undefined);
  if (exists) throw new InputError(displayPath(exists), 'already exists', 'cipa init writes a new repository; run it in an empty directory');
  for (const [file, text] of files) await writeFileAtomic(join(root, file), text);
  const control = await newControl({ dir: root, id: `${prefix}-S3-01`, provider: 'aws', service: 's3', namespace: org, name: 's3_owner_tag' });
  return { files: [...files.map(([f]) => displayPath(join(root, f))), ...control.files], ...(control.package ? { package: control.package } : {}) };
}

function bundleYaml(name: string): string {
  return `# The bundle this repository ships: cipa's built-in controls plus the organisation's own.
#   cipa test                                   unit tests, fixtures (Wasm and native opa), capabilities, METADATA
#   cipa bundle build bundle.yaml --out dist/${name}.tar.gz
name: ${name}
version: 0.1.0
description: Built-in cipa controls and our own
policy:
  - '${BUILTIN_POLICY}'  # the built-in control library of the installed cipa
  - policy     # our controls: policy/cipa/controls/<org>/<control>/
data:
  - settings/approved-services.yaml
  - settings/module-sources.yaml
`;
}

function cipaYaml(name: string): string {
  return `# cipa eval settings for pipelines that use this policy (see the cipa documentation for every key).
bundle: dist/${name}.tar.gz
fail_on: high
warn_on: low
`;
}

function approvedServicesYaml(): string {
  return `# Cloud services the organisation approves (CIPA-GOV-01). Names are <cloud>:<service>, or <cloud>:* for a whole
# cloud. With enforce_approved_services on, any resource of a service not listed fails.
approved_services:
  - aws:s3
  - aws:kms
  - aws:iam
  - aws:ec2
  - aws:vpc
  - aws:cloudwatch
unapproved_services: []
enforce_approved_services: false
`;
}

function moduleSourcesYaml(org: string): string {
  return `# Module sources the organisation trusts (source prefixes). Local modules (./, ../) are always approved.
approved_module_sources:
  - app.terraform.io/${org}/
  - github.com/${org}/
`;
}

function ciRecipe(name: string): string {
  return `# Tests the policy on every change and builds the bundle on the main branch.
name: policy
on:
  push:
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install --global cipa   # or however your organisation installs cipa (a pinned version)
      - run: cipa test . -f junit > cipa-test.xml
      - run: cipa test . --coverage
      - run: cipa bundle build bundle.yaml --out dist/${name}.tar.gz
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: policy
          path: |
            cipa-test.xml
            dist/${name}.tar.gz
`;
}

function readme(org: string, prefix: string, name: string): string {
  return `# ${org} policy

Controls for Terraform plans, evaluated by [cipa](https://cipa.dev) in CI (WebAssembly in Node) and by OPA servers
(natively) with the same decisions. The bundle holds cipa's built-in controls plus ours.

## Layout

- \`bundle.yaml\`: the bundle definition. \`builtin:\` is the installed cipa's control library; \`policy\` is ours.
- \`policy/cipa/controls/${org}/<control>/<control>.rego\`: one control per directory, package
  \`cipa.controls.${org}.<control>\`, reading the plan through \`data.cipa.lib.tfplan\`; \`<control>_test.rego\` beside it.
- \`testdata/controls/<control id in lower case>/<case>.json\`: a small plan, with \`<case>.expect.json\`
  (\`{"control": "${prefix}-S3-01", "decisions": {"<address>": "pass|fail|unknown"}}\`, exactly the control's decisions)
  and optionally \`<case>.data.json\` (settings for that case).
- \`settings/\`: organisation settings (approved services, module sources), merged into \`data.cipa.settings\`.
- \`cipa.yaml\`: how pipelines evaluate plans with the built bundle.

## Work on it

    cipa test                        # everything; exit 0 pass, 1 failures, 2 errors
    cipa test --run ${prefix}-S3-01 --watch
    cipa test --coverage --threshold 80
    cipa new control ${prefix}-EC2-01 --provider aws --service ec2
    cipa fixture plan.json --control ${prefix}-S3-01      # a real plan, minimised and anonymised
    cipa bundle build bundle.yaml --out dist/${name}.tar.gz
`;
}
