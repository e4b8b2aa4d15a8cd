/**
 * Synthetic Terraform plans shaped like real ones, for benchmarks and large-input tests: resources in for_each
 * module instances, S3 sibling resources and security-group rules joined to their parents only by configuration
 * references (ids unknown at plan time), JSON-in-string IAM policies, a majority of no-op resources, and the
 * copies real plans carry (`before`, planned_values, prior_state).
 */
export interface GeneratedPlan {
  plan: Record<string, unknown>;
  resources: number;
}

const UNIT = 10;

interface Resource {
  type: string;
  name: string;
  after: Record<string, unknown>;
  unknown: Record<string, unknown>;
  sensitive?: Record<string, unknown>;
}

export interface GenerateOptions {
  /** Leave every resource without tags: the estate fails CIPA-GOV-04 everywhere, the worst case for that control. */
  untagged?: boolean;
}

function unitResources(unit: number, options: GenerateOptions): Resource[] {
  const tag = options.untagged ? {} : { owner: `team-${unit % 17}`, environment: unit % 3 === 0 ? 'prod' : 'dev', service: `svc-${unit}` };
  const open = unit % 7 === 0;
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: unit % 11 === 0 ? '*' : ['s3:GetObject', 's3:PutObject'], Resource: unit % 11 === 0 ? '*' : `arn:aws:s3:::bucket-${unit}/*` },
    ],
  });
  return [
    { type: 'aws_s3_bucket', name: 'data', after: { bucket: `bucket-${unit}`, force_destroy: false, tags: tag, tags_all: tag, object_lock_enabled: false }, unknown: { id: true, arn: true, bucket_domain_name: true, region: true } },
    {
      type: 'aws_s3_bucket_public_access_block', name: 'data',
      after: { block_public_acls: true, block_public_policy: !open, ignore_public_acls: true, restrict_public_buckets: true },
      unknown: { bucket: true, id: true },
    },
    {
      type: 'aws_s3_bucket_server_side_encryption_configuration', name: 'data',
      after: { expected_bucket_owner: '', rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }], bucket_key_enabled: true }] },
      unknown: { bucket: true, id: true, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] },
    },
    { type: 'aws_s3_bucket_versioning', name: 'data', after: { versioning_configuration: [{ status: unit % 5 === 0 ? 'Suspended' : 'Enabled', mfa_delete: '' }] }, unknown: { bucket: true, id: true } },
    {
      type: 'aws_security_group', name: 'web',
      after: {
        name: `web-${unit}`, description: 'web tier', revoke_rules_on_delete: false, tags: tag, tags_all: tag,
        ingress: [{ cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [], from_port: 443, to_port: 443, protocol: 'tcp', description: 'https', prefix_list_ids: [], security_groups: [], self: false }],
        egress: [{ cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: [], from_port: 0, to_port: 0, protocol: '-1', description: '', prefix_list_ids: [], security_groups: [], self: false }],
      },
      unknown: { id: true, arn: true, owner_id: true, vpc_id: true },
    },
    {
      type: 'aws_security_group_rule', name: 'ssh',
      after: { type: 'ingress', from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: [open ? '0.0.0.0/0' : '10.0.0.0/8'], description: 'ssh' },
      unknown: { security_group_id: true, id: true, security_group_rule_id: true },
    },
    {
      type: 'aws_instance', name: 'app',
      after: {
        ami: 'ami-0123456789abcdef0', instance_type: 't3.micro', associate_public_ip_address: false, tags: tag, tags_all: tag,
        metadata_options: [{ http_endpoint: 'enabled', http_tokens: unit % 4 === 0 ? 'optional' : 'required', http_put_response_hop_limit: 1 }],
        root_block_device: [{ encrypted: true, volume_size: 20, volume_type: 'gp3', delete_on_termination: true }],
        user_data_base64: null,
      },
      unknown: { id: true, arn: true, private_ip: true, public_ip: true, subnet_id: true, root_block_device: [{ kms_key_id: true, volume_id: true }] },
    },
    { type: 'aws_ebs_volume', name: 'data', after: { availability_zone: 'eu-west-1a', size: 100, type: 'gp3', ...(unit % 6 === 0 ? {} : { encrypted: true }), tags: tag, tags_all: tag }, unknown: { id: true, arn: true, kms_key_id: true, ...(unit % 6 === 0 ? { encrypted: true } : {}) } },
    { type: 'aws_iam_policy', name: 'app', after: { name: `app-${unit}`, path: '/', description: 'application access', policy, tags: tag, tags_all: tag }, unknown: { id: true, arn: true, policy_id: true } },
    {
      type: 'aws_db_instance', name: 'db',
      after: { engine: 'postgres', instance_class: 'db.t3.micro', allocated_storage: 20, storage_encrypted: unit % 9 !== 0, publicly_accessible: false, backup_retention_period: 7, deletion_protection: true, username: 'app', password: `pw-${unit}-secret`, tags: tag, tags_all: tag },
      unknown: { id: true, arn: true, endpoint: true, address: true },
      sensitive: { password: true },
    },
  ];
}

/** Configuration of the `svc` module: one block per resource type, with the references that join siblings. */
function moduleConfiguration(): Record<string, unknown> {
  const ref = (...refs: string[]) => ({ references: refs });
  const block = (type: string, name: string, expressions: Record<string, unknown>) => ({ address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: 'aws', expressions, schema_version: 0 });
  return {
    resources: [
      block('aws_s3_bucket', 'data', { bucket: ref('var.name') }),
      block('aws_s3_bucket_public_access_block', 'data', { bucket: ref('aws_s3_bucket.data.id', 'aws_s3_bucket.data'), block_public_acls: { constant_value: true }, block_public_policy: ref('var.open'), ignore_public_acls: { constant_value: true }, restrict_public_buckets: { constant_value: true } }),
      block('aws_s3_bucket_server_side_encryption_configuration', 'data', { bucket: ref('aws_s3_bucket.data.id', 'aws_s3_bucket.data'), rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: { constant_value: 'aws:kms' } }] }] }),
      block('aws_s3_bucket_versioning', 'data', { bucket: ref('aws_s3_bucket.data.id', 'aws_s3_bucket.data'), versioning_configuration: [{ status: ref('var.versioning') }] }),
      block('aws_security_group', 'web', { name: ref('var.name'), ingress: { constant_value: [] } }),
      block('aws_security_group_rule', 'ssh', { security_group_id: ref('aws_security_group.web.id', 'aws_security_group.web'), type: { constant_value: 'ingress' }, from_port: { constant_value: 22 }, to_port: { constant_value: 22 }, protocol: { constant_value: 'tcp' }, cidr_blocks: ref('var.ssh_cidrs') }),
      block('aws_instance', 'app', { ami: { constant_value: 'ami-0123456789abcdef0' }, instance_type: { constant_value: 't3.micro' }, metadata_options: [{ http_tokens: ref('var.tokens') }], root_block_device: [{ encrypted: { constant_value: true } }] }),
      block('aws_ebs_volume', 'data', { availability_zone: { constant_value: 'eu-west-1a' }, size: { constant_value: 100 }, encrypted: ref('var.encrypted') }),
      block('aws_iam_policy', 'app', { name: ref('var.name'), policy: ref('var.policy') }),
      block('aws_db_instance', 'db', { engine: { constant_value: 'postgres' }, storage_encrypted: ref('var.encrypted'), password: ref('var.password'), publicly_accessible: { constant_value: false } }),
    ],
    variables: { name: {}, open: {}, versioning: {}, ssh_cidrs: {}, tokens: {}, encrypted: {}, policy: {}, password: { sensitive: true } },
  };
}

/** A plan with `count` resources (rounded up to whole units of ten), deterministic for a given count. */
export function generatePlan(count: number, options: GenerateOptions = {}): GeneratedPlan {
  const units = Math.ceil(count / UNIT);
  const resourceChanges: unknown[] = [];
  const planned: unknown[] = [];
  const prior: unknown[] = [];
  for (let unit = 0; unit < units; unit++) {
    const module = `module.svc["unit-${unit}"]`;
    const action = unit % 10 < 6 ? 'no-op' : unit % 10 < 9 ? 'create' : 'update';
    for (const r of unitResources(unit, options)) {
      const address = `${module}.${r.type}.${r.name}`;
      const known = { ...r.after, ...(action === 'create' ? {} : { id: `${r.type}-${unit}`, arn: `arn:aws:${r.type}:::${unit}` }) };
      const sensitive = r.sensitive ?? {};
      resourceChanges.push({
        address, module_address: module, mode: 'managed', type: r.type, name: r.name, provider_name: 'registry.terraform.io/hashicorp/aws',
        change: {
          actions: [action],
          before: action === 'create' ? null : known,
          after: action === 'create' ? r.after : known,
          after_unknown: action === 'create' ? r.unknown : {},
          before_sensitive: action === 'create' ? false : sensitive,
          after_sensitive: sensitive,
        },
      });
      planned.push({ address, mode: 'managed', type: r.type, name: r.name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: known, sensitive_values: sensitive });
      if (action !== 'create') prior.push({ address, mode: 'managed', type: r.type, name: r.name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values: known, sensitive_values: sensitive });
    }
  }
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    variables: { region: { value: 'eu-west-1' } },
    planned_values: { root_module: { child_modules: [{ address: 'module.svc', resources: planned }] } },
    resource_changes: resourceChanges,
    prior_state: { format_version: '1.0', terraform_version: '1.9.8', values: { root_module: { child_modules: [{ address: 'module.svc', resources: prior }] } } },
    configuration: {
      provider_config: { aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', version_constraint: '~> 5.0', expressions: { region: { constant_value: 'eu-west-1' } } } },
      root_module: { module_calls: { svc: { source: './modules/svc', for_each_expression: { references: ['local.units'] }, expressions: {}, module: moduleConfiguration() } } },
    },
    timestamp: '2026-12-01T00:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
  return { plan, resources: units * UNIT };
}
