# METADATA
# title: IAM policies do not grant full administrative privileges
# description: |
#   No identity policy (managed, or inline on a role, user or group) has an Allow statement whose Action is "*"
#   (or "*:*") on Resource "*". The policy is read from its JSON string, or from the aws_iam_policy_document data
#   source it comes from when that was read at plan time; a policy only known after apply (for example from a
#   data source whose read is deferred to apply) leaves the resource undecided.
# custom:
#   id: CIPA-AWS-IAM-01
#   severity: critical
#   frameworks:
#     cis-aws-1.4: ["1.16"]
#   aliases: [CKV_AWS_1, CKV_AWS_62, AVD-AWS-0057]
#   resource_types: [aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy]
#   remediation: |
#     Grant only the actions and resources the principal needs, for example:
#
#       data "aws_iam_policy_document" "this" {
#         statement {
#           actions   = ["s3:GetObject"]
#           resources = ["${aws_s3_bucket.this.arn}/*"]
#         }
#       }
#
#       resource "aws_iam_policy" "this" {
#         name   = "read-objects"
#         policy = data.aws_iam_policy_document.this.json
#       }
package cipa.controls.aws.iam_no_admin_policy

import data.cipa.lib.aws_policy
import data.cipa.lib.iam
import data.cipa.lib.tfplan

policy_types := ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy"]

_policies[address] := resource if {
	some type in policy_types
	some address in object.get(tfplan.by_type, type, set())
	resource := tfplan.resources[address]
}

scope contains address if {
	some address, resource in _policies
	aws_policy.document(resource, "policy")
}

fail[address] contains concat("", [
	"policy statement ",
	aws_policy.statement_label(resource, "policy", i, statement),
	" allows Action ",
	aws_policy.policy_part(resource, "policy", statement.Action),
	" on Resource ",
	aws_policy.policy_part(resource, "policy", statement.Resource),
]) if {
	some address, resource in _policies
	doc := aws_policy.document(resource, "policy")
	doc.known
	some i, statement in iam.statements(doc.document)
	aws_policy.grants_full_admin(statement)
}

unknown[address] contains "policy is only known after apply" if {
	some address, resource in _policies
	aws_policy.document(resource, "policy").known == false
	count(aws_policy.deferred_sources(resource, "policy")) == 0
}

unknown[address] contains concat("", ["policy comes from ", source, ", read only at apply"]) if {
	some address, resource in _policies
	aws_policy.document(resource, "policy").known == false
	some source in aws_policy.deferred_sources(resource, "policy")
}
