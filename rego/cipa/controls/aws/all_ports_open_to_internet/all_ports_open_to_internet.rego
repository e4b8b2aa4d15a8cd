# METADATA
# title: Security groups do not allow all traffic from the internet
# description: |
#   No security group ingress rule admits every port, or every protocol (-1), from 0.0.0.0/0 or ::/0: inline
#   ingress blocks of aws_security_group and aws_default_security_group, aws_security_group_rule resources of type
#   ingress, and provider v5 aws_vpc_security_group_ingress_rule resources. "Every port" is a TCP or UDP range
#   covering 1-65535. The finding is reported on the resource that carries the rule. A rule whose source,
#   protocol or ports are only known after apply, and could open everything to the internet, leaves its
#   resource undecided.
# custom:
#   id: CIPA-AWS-NET-03
#   severity: critical
#   aliases: [CKV_AWS_277]
#   resource_types: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   remediation: |
#     Open only the ports the service needs, to the sources that need them:
#
#       resource "aws_vpc_security_group_ingress_rule" "https" {
#         security_group_id = aws_security_group.this.id
#         ip_protocol       = "tcp"
#         from_port         = 443
#         to_port           = 443
#         cidr_ipv4         = "0.0.0.0/0"
#       }
package cipa.controls.aws.all_ports_open_to_internet

import data.cipa.lib.network
import data.cipa.lib.tfplan

protocols := {"tcp", "udp"}

scope contains address if {
	some type in ["aws_security_group", "aws_default_security_group", "aws_vpc_security_group_ingress_rule"]
	some address in object.get(tfplan.by_type, type, set())
}

scope contains address if {
	some address in object.get(tfplan.by_type, "aws_security_group_rule", set())
	not tfplan.value(tfplan.resources[address], ["type"]) == "egress"
}

fail[rule.resource] contains concat("", [_where(rule), "admits all ports from anywhere: ", network.describe(rule)]) if {
	some rule in network.sg_ingress_rules
	network.exposure(rule, protocols, 1, 65535) == "fail"
}

unknown[rule.resource] contains concat("", [_where(rule), "may admit all ports from anywhere: ", network.describe(rule)]) if {
	some rule in network.sg_ingress_rules
	network.exposure(rule, protocols, 1, 65535) == "unknown"
}

_where(rule) := "" if {
	rule.certain
} else := "type is known only after apply; the rule "
