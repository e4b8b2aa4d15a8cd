# METADATA
# title: CloudTrail log file validation is enabled
# description: |
#   Every CloudTrail trail sets enable_log_file_validation = true (default false), so digest files prove that
#   delivered log files were not changed or deleted. A trail whose setting is only known after apply is undecided.
# custom:
#   id: CIPA-AWS-LOG-02
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["3.2"]
#   aliases: [CKV_AWS_36, AVD-AWS-0016]
#   resource_types: [aws_cloudtrail]
#   remediation: |
#     Set enable_log_file_validation on the trail:
#
#       resource "aws_cloudtrail" "this" {
#         name                       = "account-trail"
#         s3_bucket_name             = aws_s3_bucket.trail.id
#         enable_log_file_validation = true
#       }
package cipa.controls.aws.cloudtrail_log_file_validation

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_cloudtrail

fail[address] contains concat("", ["enable_log_file_validation = ", tfplan.shown(trail, ["enable_log_file_validation"]), " (default false)"]) if {
	some address in scope
	trail := tfplan.resources[address]
	aws_policy.effective_at(trail, ["enable_log_file_validation"], false) != true
}

unknown[address] contains "enable_log_file_validation is only known after apply" if {
	some address in scope
	aws_policy.undecided_at(tfplan.resources[address], ["enable_log_file_validation"])
}
