# METADATA
# title: S3 bucket policies deny requests without TLS
# description: |
#   Every S3 bucket has a policy with a Deny statement for every principal ("*") and every S3 action ("s3:*" or
#   "*") under the condition Bool (or BoolIfExists) aws:SecureTransport = false, so that plain-HTTP requests are
#   refused. The policy is decided where it is written: an aws_s3_bucket_policy (AWS provider v4+), as a JSON
#   string or from an aws_iam_policy_document data source (even one read only at apply: its statements are
#   rebuilt when all but their resources are known), or, for a bucket no aws_s3_bucket_policy refers to, the
#   bucket's inline policy (provider v3); a bucket with neither fails. A policy only known after apply leaves
#   the resource undecided.
# custom:
#   id: CIPA-AWS-S3-07
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["2.1.2"]
#   aliases: [CKV_AWS_379, AVD-AWS-0346]
#   resource_types: [aws_s3_bucket, aws_s3_bucket_policy]
#   remediation: |
#     Add a statement that denies every request made without TLS:
#
#       data "aws_iam_policy_document" "bucket" {
#         statement {
#           sid       = "DenyInsecureTransport"
#           effect    = "Deny"
#           actions   = ["s3:*"]
#           resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]
#           principals {
#             type        = "*"
#             identifiers = ["*"]
#           }
#           condition {
#             test     = "Bool"
#             variable = "aws:SecureTransport"
#             values   = ["false"]
#           }
#         }
#       }
package cipa.controls.aws.s3_bucket_policy_requires_tls

import data.cipa.lib.aws_s3
import data.cipa.lib.iam
import data.cipa.lib.tfplan

policy_type := "aws_s3_bucket_policy"

# Buckets decided on their inline policy: those no aws_s3_bucket_policy refers to.
scope contains address if {
	some address in tfplan.by_type.aws_s3_bucket
	count(aws_s3.siblings_of(address, policy_type)) == 0
}

scope contains address if some address in object.get(tfplan.by_type, policy_type, set())

fail[address] contains concat("", ["no bucket policy: neither an inline policy nor an ", policy_type, " refers to this bucket"]) if {
	some address in scope
	resource := tfplan.resources[address]
	resource.type == "aws_s3_bucket"
	not tfplan.is_configured(resource, "policy")
}

fail[address] contains "policy has no Deny statement for principal \"*\" and s3:* with condition aws:SecureTransport = false" if {
	some address in scope
	policy := aws_s3.policy_document(tfplan.resources[address], "policy")
	policy.known
	not _denies_insecure_transport(policy.document)
}

unknown[address] contains "policy is only known after apply" if {
	some address in scope
	policy := aws_s3.policy_document(tfplan.resources[address], "policy")
	not policy.known
}

_denies_insecure_transport(document) if {
	some statement in iam.statements(document)
	statement.Effect == "Deny"
	iam.public_principal(statement)
	some action in iam.actions(statement)
	lower(action) in {"s3:*", "*"}
	some operator, keys in object.get(statement, "Condition", {})
	lower(operator) in {"bool", "boolifexists"}
	some key, values in keys
	lower(key) == "aws:securetransport"
	some v in _as_array(values)
	lower(_text(v)) == "false"
}

_as_array(x) := x if is_array(x)

else := [x]

_text(v) := v if is_string(v)

else := json.marshal(v)
