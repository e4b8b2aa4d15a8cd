# METADATA
# title: KMS key policies do not allow every principal without a condition
# description: |
#   No KMS key policy (aws_kms_key.policy or aws_kms_key_policy.policy) has an Allow statement whose principal
#   is "*" (or {"AWS": "*"}) without a Condition that narrows who can use the key. A key without a policy gets
#   the AWS default key policy (the account) and passes. The policy is read from its JSON string, or from the
#   aws_iam_policy_document data source it comes from when that was read at plan time; a policy only known after
#   apply leaves the resource undecided.
# custom:
#   id: CIPA-AWS-KMS-02
#   severity: critical
#   aliases: [CKV_AWS_33]
#   resource_types: [aws_kms_key, aws_kms_key_policy]
#   remediation: |
#     Name the principals that may use the key, or narrow a wildcard principal with a condition:
#
#       data "aws_iam_policy_document" "key" {
#         statement {
#           actions   = ["kms:*"]
#           resources = ["*"]
#           principals {
#             type        = "AWS"
#             identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
#           }
#         }
#       }
#
#       resource "aws_kms_key" "this" {
#         enable_key_rotation = true
#         policy              = data.aws_iam_policy_document.key.json
#       }
package cipa.controls.aws.kms_key_policy_no_public_principal

import data.cipa.lib.aws_policy
import data.cipa.lib.iam
import data.cipa.lib.tfplan

_resources[address] := tfplan.resources[address] if {
	some type in ["aws_kms_key", "aws_kms_key_policy"]
	some address in object.get(tfplan.by_type, type, set())
}

scope contains address if some address, _ in _resources

fail[address] contains concat("", [
	"policy statement ",
	aws_policy.statement_label(resource, "policy", i, statement),
	" allows Principal ",
	aws_policy.policy_part(resource, "policy", statement.Principal),
	" without a Condition",
]) if {
	some address, resource in _resources
	doc := aws_policy.document(resource, "policy")
	doc.known
	some i, statement in iam.statements(doc.document)
	aws_policy.allows_public_principal(statement)
	not iam.has_condition(statement)
}

unknown[address] contains "policy is only known after apply" if {
	some address, resource in _resources
	_undecided(resource)
	count(aws_policy.deferred_sources(resource, "policy")) == 0
}

unknown[address] contains concat("", ["policy comes from ", source, ", read only at apply"]) if {
	some address, resource in _resources
	_undecided(resource)
	some source in aws_policy.deferred_sources(resource, "policy")
}

# An unknown policy left unset on aws_kms_key is the AWS default key policy (or one an aws_kms_key_policy sets).
_undecided(resource) if {
	aws_policy.document(resource, "policy").known == false
	tfplan.is_configured(resource, "policy")
}
