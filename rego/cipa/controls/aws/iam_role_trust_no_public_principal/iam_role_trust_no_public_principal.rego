# METADATA
# title: IAM role trust policies do not trust every principal
# description: |
#   No IAM role's trust policy (assume_role_policy) has an Allow statement whose Principal is "*" or names "*"
#   for any principal type ({"AWS": "*"}, {"Federated": "*"}, …): anyone could then attempt to assume the role,
#   and a condition is a thin defence against a mistake. The trust policy is read from its JSON string, or from
#   the aws_iam_policy_document data source it comes from when that was read at plan time; a trust policy only
#   known after apply leaves the role undecided.
# custom:
#   id: CIPA-AWS-IAM-04
#   severity: critical
#   aliases: [CKV_AWS_60, CKV_AWS_61]
#   resource_types: [aws_iam_role]
#   remediation: |
#     Name the principals that may assume the role:
#
#       data "aws_iam_policy_document" "trust" {
#         statement {
#           actions = ["sts:AssumeRole"]
#           principals {
#             type        = "Service"
#             identifiers = ["lambda.amazonaws.com"]
#           }
#         }
#       }
#
#       resource "aws_iam_role" "this" {
#         name               = "app"
#         assume_role_policy = data.aws_iam_policy_document.trust.json
#       }
package cipa.controls.aws.iam_role_trust_no_public_principal

import data.cipa.lib.aws_policy
import data.cipa.lib.iam
import data.cipa.lib.tfplan

scope contains address if {
	some address in tfplan.by_type.aws_iam_role
	aws_policy.document(tfplan.resources[address], "assume_role_policy")
}

fail[address] contains concat("", [
	"assume_role_policy statement ",
	aws_policy.statement_label(role, "assume_role_policy", i, statement),
	" allows Principal ",
	aws_policy.policy_part(role, "assume_role_policy", statement.Principal),
]) if {
	some address in tfplan.by_type.aws_iam_role
	role := tfplan.resources[address]
	doc := aws_policy.document(role, "assume_role_policy")
	doc.known
	some i, statement in iam.statements(doc.document)
	aws_policy.allows_public_principal(statement)
}

unknown[address] contains "assume_role_policy is only known after apply" if {
	some address in tfplan.by_type.aws_iam_role
	role := tfplan.resources[address]
	aws_policy.document(role, "assume_role_policy").known == false
	count(aws_policy.deferred_sources(role, "assume_role_policy")) == 0
}

unknown[address] contains concat("", ["assume_role_policy comes from ", source, ", read only at apply"]) if {
	some address in tfplan.by_type.aws_iam_role
	role := tfplan.resources[address]
	aws_policy.document(role, "assume_role_policy").known == false
	some source in aws_policy.deferred_sources(role, "assume_role_policy")
}
