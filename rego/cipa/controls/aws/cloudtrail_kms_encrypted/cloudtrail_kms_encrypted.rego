# METADATA
# title: CloudTrail logs are encrypted with a KMS key
# description: |
#   Every CloudTrail trail sets kms_key_id, so its log files are encrypted with a customer managed KMS key (SSE-KMS)
#   rather than only S3-managed keys. The key's ARN is usually known only after apply: a value computed from a
#   resource the plan manages (e.g. aws_kms_key.trail.arn) counts as set; any other value known only after apply is
#   undecided.
# custom:
#   id: CIPA-AWS-LOG-03
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["3.7"]
#   aliases: [CKV_AWS_35, AVD-AWS-0015]
#   resource_types: [aws_cloudtrail]
#   remediation: |
#     Set kms_key_id on the trail:
#
#       resource "aws_cloudtrail" "this" {
#         name           = "account-trail"
#         s3_bucket_name = aws_s3_bucket.trail.id
#         kms_key_id     = aws_kms_key.trail.arn
#       }
package cipa.controls.aws.cloudtrail_kms_encrypted

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_cloudtrail

fail[address] contains concat("", ["kms_key_id = ", tfplan.shown(trail, ["kms_key_id"])]) if {
	some address in scope
	trail := tfplan.resources[address]
	aws_policy.unset(trail, "kms_key_id")
}

unknown[address] contains "kms_key_id is only known after apply and refers to no resource in the plan" if {
	some address in scope
	trail := tfplan.resources[address]
	tfplan.is_unknown(trail, ["kms_key_id"])
	not aws_policy.set_to_resource(trail, "kms_key_id")
}
