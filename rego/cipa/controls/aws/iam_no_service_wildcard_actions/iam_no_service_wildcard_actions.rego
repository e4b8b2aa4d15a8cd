# METADATA
# title: IAM policies do not allow wildcard actions
# description: |
#   No identity policy (managed, or inline on a role, user or group) has an Allow statement with a service-wide
#   wildcard action such as "s3:*" or "iam:*", or the all-services wildcard "*", whatever the resource. Partial
#   wildcards such as "s3:Get*" pass. The policy is read from its JSON string, or from the aws_iam_policy_document
#   data source it comes from when that was read at plan time; a policy only known after apply leaves the resource
#   undecided.
# custom:
#   id: CIPA-AWS-IAM-02
#   severity: high
#   aliases: [CKV_AWS_49, CKV_AWS_63, AVD-AWS-0057, AVD-AWS-0345]
#   resource_types: [aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy]
#   remediation: |
#     List the actions the principal needs instead of a whole service:
#
#       data "aws_iam_policy_document" "this" {
#         statement {
#           actions   = ["s3:GetObject", "s3:PutObject"]
#           resources = ["${aws_s3_bucket.this.arn}/*"]
#         }
#       }
package cipa.controls.aws.iam_no_service_wildcard_actions

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
	" allows wildcard Action ",
	aws_policy.policy_part(resource, "policy", sort(aws_policy.wildcard_actions(statement))),
]) if {
	some address, resource in _policies
	doc := aws_policy.document(resource, "policy")
	doc.known
	some i, statement in iam.statements(doc.document)
	count(aws_policy.wildcard_actions(statement)) > 0
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
