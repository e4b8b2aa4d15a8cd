# METADATA
# title: S3 buckets declare default encryption
# description: |
#   Every S3 bucket declares its default server-side encryption, either in an inline
#   server_side_encryption_configuration block (AWS provider v3) or in an
#   aws_s3_bucket_server_side_encryption_configuration resource (provider v4+), joined to the bucket through its
#   configuration references even while the bucket's id is only known after apply. Any of SSE-S3 (AES256),
#   SSE-KMS (aws:kms) or DSSE-KMS (aws:kms:dsse) passes.
#
#   Since January 2023 AWS encrypts every bucket that has no default encryption configuration with SSE-S3, so a
#   bucket that declares nothing is not stored in clear text. This control still fails it: CIS AWS 1.4 2.1.1
#   asks for the configuration to be declared, and only the declaration says in the code which key protects the
#   data (SSE-S3 or a KMS key with its own key policy and audit trail), so it is reviewable and does not depend
#   on a service default. An organisation that accepts the implicit SSE-S3 can lower this control's severity by
#   data (severity_overrides) or except buckets in cipa.yaml.
#   A declaration whose content is only known after apply leaves the bucket undecided.
# custom:
#   id: CIPA-AWS-S3-02
#   severity: high
#   frameworks:
#     cis-aws-1.4: ["2.1.1"]
#   aliases: [CKV_AWS_19, AVD-AWS-0088]
#   resource_types: [aws_s3_bucket]
#   remediation: |
#     Declare the bucket's default encryption (a KMS key gives you a key policy and an audit trail):
#
#       resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
#         bucket = aws_s3_bucket.this.id
#         rule {
#           apply_server_side_encryption_by_default {
#             sse_algorithm     = "aws:kms"
#             kms_master_key_id = aws_kms_key.s3.arn
#           }
#           bucket_key_enabled = true
#         }
#       }
package cipa.controls.aws.s3_bucket_default_encryption

import data.cipa.lib.aws_s3
import data.cipa.lib.tfplan

sse_type := "aws_s3_bucket_server_side_encryption_configuration"

scope contains address if some address in tfplan.by_type.aws_s3_bucket

fail[bucket] contains concat("", [
	"no default encryption declared: no inline server_side_encryption_configuration block and no ",
	sse_type, " refers to this bucket (AWS applies SSE-S3 implicitly; the configuration does not declare it)",
]) if {
	some bucket in scope
	count(_sources(bucket)) == 0
}

fail[bucket] contains message if {
	some bucket in scope
	not _encrypted(bucket)
	not _undecided(bucket)
	some source in _sources(bucket)
	some message in _source_problems(source)
}

unknown[bucket] contains concat("", [source[0], " sets ", source[1][0], " only after apply"]) if {
	some bucket in scope
	not _encrypted(bucket)
	some source in _sources(bucket)
	_source_unknown(source)
}

# Declarations of default encryption for a bucket: [resource address, path of its list of rules].
_sources(bucket) := {[bucket, ["server_side_encryption_configuration", 0, "rule"]] |
	tfplan.is_configured(tfplan.resources[bucket], "server_side_encryption_configuration")
} | {[address, ["rule"]] |
	some address in aws_s3.siblings_of(bucket, sse_type)
}

_encrypted(bucket) if {
	some source in _sources(bucket)
	_algorithm_set(source)
}

_undecided(bucket) if {
	some source in _sources(bucket)
	_source_unknown(source)
}

_algorithm_set(source) if {
	resource := tfplan.resources[source[0]]
	rules := tfplan.value(resource, source[1])
	is_array(rules)
	some rule in rules
	some by_default in object.get(rule, "apply_server_side_encryption_by_default", [])
	algorithm := object.get(by_default, "sse_algorithm", null)
	is_string(algorithm)
	algorithm != ""
}

_source_unknown(source) if {
	resource := tfplan.resources[source[0]]
	tfplan.is_unknown(resource, source[1])
}

_source_unknown(source) if {
	resource := tfplan.resources[source[0]]
	rules := tfplan.value(resource, source[1])
	is_array(rules)
	some i, _ in rules
	tfplan.is_unknown(resource, array.concat(source[1], [i, "apply_server_side_encryption_by_default"]))
}

_source_unknown(source) if {
	resource := tfplan.resources[source[0]]
	rules := tfplan.value(resource, source[1])
	is_array(rules)
	some i, rule in rules
	some j, _ in object.get(rule, "apply_server_side_encryption_by_default", [])
	tfplan.is_unknown(resource, array.concat(source[1], [i, "apply_server_side_encryption_by_default", j, "sse_algorithm"]))
}

_source_problems(source) := ({concat("", [source[0], " declares ", source[1][0], " without any rule"]) |
	resource := tfplan.resources[source[0]]
	count(_as_array(tfplan.value(resource, source[1]))) == 0
} | {concat("", [source[0], " has a rule without apply_server_side_encryption_by_default"]) |
	resource := tfplan.resources[source[0]]
	some rule in _as_array(tfplan.value(resource, source[1]))
	count(object.get(rule, "apply_server_side_encryption_by_default", [])) == 0
}) | {concat("", [source[0], " sets sse_algorithm = ", tfplan.shown(resource, path)]) |
	resource := tfplan.resources[source[0]]
	some i, rule in _as_array(tfplan.value(resource, source[1]))
	some j, _ in object.get(rule, "apply_server_side_encryption_by_default", [])
	path := array.concat(source[1], [i, "apply_server_side_encryption_by_default", j, "sse_algorithm"])
	not _non_empty_string(tfplan.value(resource, path))
}

_as_array(x) := x if is_array(x)

else := []

_non_empty_string(x) if {
	is_string(x)
	x != ""
}
