# METADATA
# title: CloudWatch log groups keep logs a year and are KMS-encrypted
# description: |
#   Every CloudWatch log group (aws_cloudwatch_log_group) keeps its events at least 365 days (retention_in_days
#   of 365 or more, or 0 / unset: never expire) and is encrypted with a customer managed KMS key (kms_key_id). A key
#   ARN computed from a resource the plan manages counts as set; a retention or key known only after apply
#   otherwise leaves the log group undecided.
# custom:
#   id: CIPA-AWS-LOG-06
#   severity: low
#   aliases: [CKV_AWS_338, CKV_AWS_158, AVD-AWS-0017]
#   resource_types: [aws_cloudwatch_log_group]
#   remediation: |
#     Keep the events at least a year and encrypt them with a KMS key:
#
#       resource "aws_cloudwatch_log_group" "this" {
#         name              = "/app/audit"
#         retention_in_days = 365
#         kms_key_id        = aws_kms_key.logs.arn
#       }
package cipa.controls.aws.cloudwatch_log_group_retention_encryption

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_cloudwatch_log_group

fail[address] contains concat("", [
	"retention_in_days = ", tfplan.shown(group, ["retention_in_days"]),
	" (at least 365, or 0 to never expire)",
]) if {
	some address in scope
	group := tfplan.resources[address]
	retention := aws_policy.effective_at(group, ["retention_in_days"], 0)
	retention > 0
	retention < 365
}

fail[address] contains concat("", ["kms_key_id = ", tfplan.shown(group, ["kms_key_id"])]) if {
	some address in scope
	group := tfplan.resources[address]
	aws_policy.unset(group, "kms_key_id")
}

unknown[address] contains "retention_in_days is only known after apply" if {
	some address in scope
	aws_policy.undecided_at(tfplan.resources[address], ["retention_in_days"])
}

unknown[address] contains "kms_key_id is only known after apply and refers to no resource in the plan" if {
	some address in scope
	group := tfplan.resources[address]
	tfplan.is_unknown(group, ["kms_key_id"])
	not aws_policy.set_to_resource(group, "kms_key_id")
}
