# METADATA
# title: CloudTrail trails record every region
# description: |
#   Every CloudTrail trail sets is_multi_region_trail = true (default false), so activity in regions nobody watches
#   is recorded too. A trail whose setting is only known after apply is undecided.
# custom:
#   id: CIPA-AWS-LOG-01
#   severity: high
#   frameworks:
#     cis-aws-1.4: ["3.1"]
#   aliases: [CKV_AWS_67, AVD-AWS-0014]
#   resource_types: [aws_cloudtrail]
#   remediation: |
#     Set is_multi_region_trail on the trail:
#
#       resource "aws_cloudtrail" "this" {
#         name                  = "account-trail"
#         s3_bucket_name        = aws_s3_bucket.trail.id
#         is_multi_region_trail = true
#       }
package cipa.controls.aws.cloudtrail_multi_region

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_cloudtrail

fail[address] contains concat("", ["is_multi_region_trail = ", tfplan.shown(trail, ["is_multi_region_trail"]), " (default false)"]) if {
	some address in scope
	trail := tfplan.resources[address]
	aws_policy.effective_at(trail, ["is_multi_region_trail"], false) != true
}

unknown[address] contains "is_multi_region_trail is only known after apply" if {
	some address in scope
	aws_policy.undecided_at(tfplan.resources[address], ["is_multi_region_trail"])
}
