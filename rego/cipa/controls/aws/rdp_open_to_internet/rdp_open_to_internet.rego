# METADATA
# title: Security groups do not allow RDP from the internet
# description: |
#   No security group ingress rule admits port 3389 (RDP, over TCP or UDP) from 0.0.0.0/0 or ::/0: inline ingress
#   blocks of aws_security_group and aws_default_security_group, aws_security_group_rule resources of type
#   ingress, and provider v5 aws_vpc_security_group_ingress_rule resources. A rule counts when its port range
#   includes 3389 or it allows all protocols (-1). The finding is reported on the resource that carries the rule:
#   the rule resource, or the security group for an inline rule. A rule whose source, protocol or ports are only
#   known after apply, and could open port 3389 to the internet, leaves its resource undecided.
# custom:
#   id: CIPA-AWS-NET-02
#   severity: critical
#   frameworks:
#     cis-aws-1.4: ["5.2"]
#   aliases: [CKV_AWS_25, AVD-AWS-0107]
#   resource_types: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   remediation: |
#     Admit RDP only from known networks (or reach hosts through SSM Fleet Manager or a bastion):
#
#       resource "aws_vpc_security_group_ingress_rule" "rdp" {
#         security_group_id = aws_security_group.this.id
#         ip_protocol       = "tcp"
#         from_port         = 3389
#         to_port           = 3389
#         cidr_ipv4         = "10.0.0.0/16"
#       }
package cipa.controls.aws.rdp_open_to_internet

import data.cipa.lib.network
import data.cipa.lib.tfplan

port := 3389

protocols := {"tcp", "udp"}

scope contains address if {
	some type in ["aws_security_group", "aws_default_security_group", "aws_vpc_security_group_ingress_rule"]
	some address in object.get(tfplan.by_type, type, set())
}

scope contains address if {
	some address in object.get(tfplan.by_type, "aws_security_group_rule", set())
	not tfplan.value(tfplan.resources[address], ["type"]) == "egress"
}

fail[rule.resource] contains concat("", [_where(rule), "admits port 3389 from anywhere: ", network.describe(rule)]) if {
	some rule in network.sg_ingress_rules
	network.exposure(rule, protocols, port, port) == "fail"
}

unknown[rule.resource] contains concat("", [_where(rule), "may admit port 3389 from anywhere: ", network.describe(rule)]) if {
	some rule in network.sg_ingress_rules
	network.exposure(rule, protocols, port, port) == "unknown"
}

_where(rule) := "" if {
	rule.certain
} else := "type is known only after apply; the rule "
