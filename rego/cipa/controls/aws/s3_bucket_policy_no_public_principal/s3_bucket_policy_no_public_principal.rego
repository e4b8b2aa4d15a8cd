# METADATA
# title: S3 bucket policies allow no one-and-everyone principal without a condition
# description: |
#   No S3 bucket policy has an Allow statement for the principal "*" (also {"AWS": "*"}, or an Allow with
#   NotPrincipal, which means everyone but the listed principals) unless a condition narrows who may use it or
#   from where: a condition on aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:SourceVpc, aws:SourceVpce,
#   aws:SourceIp, aws:VpcSourceIp, aws:SourceOrgID, aws:SourceOrgPaths, aws:PrincipalOrgID,
#   aws:PrincipalOrgPaths, aws:PrincipalAccount, aws:PrincipalArn, aws:PrincipalServiceName, aws:userid,
#   aws:username, s3:DataAccessPointAccount or s3:DataAccessPointArn. A condition on anything else (for example
#   aws:SecureTransport, or aws:Referer, which any client can set) leaves the statement open to everyone.
#   The policy is decided where it is written: the bucket's inline policy (AWS provider v3) or an
#   aws_s3_bucket_policy, as a JSON string or from an aws_iam_policy_document data source, even one read only at
#   apply (its statements are rebuilt when all but their resources are known). A policy only known after apply
#   leaves the resource undecided.
# custom:
#   id: CIPA-AWS-S3-06
#   severity: critical
#   aliases: [CKV_AWS_70, AVD-AWS-0346]
#   resource_types: [aws_s3_bucket, aws_s3_bucket_policy]
#   remediation: |
#     Name the principals the bucket is shared with, or narrow a "*" principal with a condition such as the
#     caller's organisation:
#
#       data "aws_iam_policy_document" "bucket" {
#         statement {
#           actions   = ["s3:GetObject"]
#           resources = ["${aws_s3_bucket.this.arn}/*"]
#           principals {
#             type        = "AWS"
#             identifiers = ["*"]
#           }
#           condition {
#             test     = "StringEquals"
#             variable = "aws:PrincipalOrgID"
#             values   = [var.organization_id]
#           }
#         }
#       }
package cipa.controls.aws.s3_bucket_policy_no_public_principal

import data.cipa.lib.aws_s3
import data.cipa.lib.iam
import data.cipa.lib.tfplan

scope contains address if {
	some address in tfplan.by_type.aws_s3_bucket
	tfplan.is_configured(tfplan.resources[address], "policy")
}

scope contains address if some address in object.get(tfplan.by_type, "aws_s3_bucket_policy", set())

fail[address] contains concat("", [
	"policy statement ", _statement_name(address, statement, i), " allows ", _actions(address, statement), " to ",
	_whom(statement), " without a condition narrowing who or from where",
]) if {
	some address in scope
	policy := aws_s3.policy_document(tfplan.resources[address], "policy")
	policy.known
	some i, statement in iam.statements(policy.document)
	iam.allows(statement)
	_everyone(statement)
	not _restricted(statement)
}

unknown[address] contains "policy is only known after apply" if {
	some address in scope
	policy := aws_s3.policy_document(tfplan.resources[address], "policy")
	not policy.known
}

_everyone(statement) if iam.public_principal(statement)

_everyone(statement) if object.get(statement, "NotPrincipal", null) != null

_whom(statement) := "everyone except the NotPrincipal" if {
	not iam.public_principal(statement)
} else := "principal \"*\""

# Condition keys that narrow who may use a statement, or from where.
restricting_keys := {
	"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
	"aws:vpcsourceip", "aws:sourceorgid", "aws:sourceorgpaths", "aws:principalorgid", "aws:principalorgpaths",
	"aws:principalaccount", "aws:principalarn", "aws:principalservicename", "aws:userid", "aws:username",
	"s3:dataaccesspointaccount", "s3:dataaccesspointarn",
}

_restricted(statement) if {
	some operator, keys in object.get(statement, "Condition", {})
	not _negating(operator)
	some key, _ in keys
	lower(key) in restricting_keys
}

# Null tests for a key's absence; they do not narrow anything.
_negating(operator) if lower(operator) == "null"

# Statements of a sensitive policy are named by position and their actions are not shown.
_statement_name(address, statement, i) := statement.Sid if {
	not tfplan.is_sensitive(tfplan.resources[address], ["policy"])
	is_string(statement.Sid)
	statement.Sid != ""
} else := concat("", ["#", format_int(i + 1, 10)])

_actions(address, statement) := "(sensitive actions)" if {
	tfplan.is_sensitive(tfplan.resources[address], ["policy"])
} else := concat(", ", sort([a | some a in iam.actions(statement)])) if {
	count(iam.actions(statement)) > 0
} else := "every action but its NotAction"
