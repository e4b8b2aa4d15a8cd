# METADATA
# title: CloudTrail delivers to CloudWatch Logs
# description: |
#   Every CloudTrail trail sets cloud_watch_logs_group_arn (with cloud_watch_logs_role_arn), so its events reach
#   CloudWatch Logs for metric filters and alarms. The log group's ARN is usually known only after apply: a value
#   computed from a resource the plan manages counts as set; any other value known only after apply is undecided.
# custom:
#   id: CIPA-AWS-LOG-04
#   severity: low
#   frameworks:
#     cis-aws-1.4: ["3.4"]
#   aliases: [CKV2_AWS_10, AVD-AWS-0162]
#   resource_types: [aws_cloudtrail]
#   remediation: |
#     Set cloud_watch_logs_group_arn on the trail:
#
#       resource "aws_cloudtrail" "this" {
#         name                       = "account-trail"
#         s3_bucket_name             = aws_s3_bucket.trail.id
#         cloud_watch_logs_group_arn = "${aws_cloudwatch_log_group.trail.arn}:*"
#         cloud_watch_logs_role_arn  = aws_iam_role.trail_to_logs.arn
#       }
package cipa.controls.aws.cloudtrail_cloudwatch_logs

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_cloudtrail

fail[address] contains concat("", ["cloud_watch_logs_group_arn = ", tfplan.shown(trail, ["cloud_watch_logs_group_arn"])]) if {
	some address in scope
	trail := tfplan.resources[address]
	aws_policy.unset(trail, "cloud_watch_logs_group_arn")
}

unknown[address] contains "cloud_watch_logs_group_arn is only known after apply and refers to no resource in the plan" if {
	some address in scope
	trail := tfplan.resources[address]
	tfplan.is_unknown(trail, ["cloud_watch_logs_group_arn"])
	not aws_policy.set_to_resource(trail, "cloud_watch_logs_group_arn")
}
