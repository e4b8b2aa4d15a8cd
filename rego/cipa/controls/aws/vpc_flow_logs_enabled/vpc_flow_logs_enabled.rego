# METADATA
# title: VPC flow logging is enabled in every VPC
# description: |
#   Every aws_vpc has an aws_flow_log whose vpc_id names it. The flow log is joined through its configuration
#   reference (vpc_id = aws_vpc.main.id, also across module inputs and outputs, count and for_each instances paired
#   by index) or through a known VPC id, so a VPC created in the same plan is matched although its id is only
#   known after apply. Flow logs on subnets or network interfaces do not count. When a VPC has no flow log and
#   some flow log's vpc_id is only known after apply and cannot be traced to a VPC of the plan, the VPC is
#   undecided.
# custom:
#   id: CIPA-AWS-NET-06
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["3.9"]
#   aliases: [CKV2_AWS_11, AVD-AWS-0178]
#   resource_types: [aws_vpc]
#   remediation: |
#     Record at least rejected traffic for every VPC:
#
#       resource "aws_flow_log" "main" {
#         vpc_id          = aws_vpc.main.id
#         traffic_type    = "REJECT"
#         log_destination = aws_cloudwatch_log_group.flow_logs.arn
#         iam_role_arn    = aws_iam_role.flow_logs.arn
#       }
package cipa.controls.aws.vpc_flow_logs_enabled

import data.cipa.lib.network
import data.cipa.lib.tfplan

flow_logs := object.get(tfplan.by_type, "aws_flow_log", set())

scope contains address if some address in object.get(tfplan.by_type, "aws_vpc", set())

# Flow logs of each VPC, by VPC address.
vpc_flow_logs[vpc] contains flow_log if {
	some vpc in scope
	some flow_log in tfplan.referrers(vpc)
	flow_log in flow_logs
	network.attribute_refers_to(tfplan.resources[flow_log], "vpc_id", vpc)
}

# Flow logs whose vpc_id is only known after apply and names no VPC of the plan.
untraced_flow_logs contains flow_log if {
	some flow_log in flow_logs
	tfplan.is_unknown(tfplan.resources[flow_log], ["vpc_id"])
	not _traced(flow_log)
}

_traced(flow_log) if {
	some vpc, logs in vpc_flow_logs
	flow_log in logs
}

fail[vpc] contains "no aws_flow_log has a vpc_id that refers to this VPC" if {
	some vpc in scope
	not vpc_flow_logs[vpc]
	count(untraced_flow_logs) == 0
}

unknown[vpc] contains concat("", [
	"no aws_flow_log refers to this VPC, but the vpc_id of ", concat(", ", sort([log | some log in untraced_flow_logs])),
	" is known only after apply",
]) if {
	some vpc in scope
	not vpc_flow_logs[vpc]
	count(untraced_flow_logs) > 0
}
