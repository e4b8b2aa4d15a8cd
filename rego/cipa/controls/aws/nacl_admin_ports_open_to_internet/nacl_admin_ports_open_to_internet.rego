# METADATA
# title: Network ACLs do not allow SSH or RDP from the internet
# description: |
#   No network ACL ingress rule allows port 22 (TCP) or 3389 (TCP or UDP) from 0.0.0.0/0 or ::/0: inline ingress
#   blocks of aws_network_acl and aws_default_network_acl, and aws_network_acl_rule resources with egress = false
#   and rule_action = allow. A rule counts when its port range includes the port or it allows all protocols (-1).
#   The finding is reported on the resource that carries the rule. Rules are evaluated in rule number order: an
#   allow is cleared by a lower numbered deny of the same ACL (inline, or an aws_network_acl_rule joined through
#   network_acl_id) that covers the port and protocol for the same 0.0.0.0/0 or ::/0 source. A rule whose source,
#   protocol, ports, direction or action are only known after apply, and could open the port, leaves its
#   resource undecided.
# custom:
#   id: CIPA-AWS-NET-05
#   severity: high
#   frameworks:
#     cis-aws-1.4: ["5.1"]
#   aliases: [CKV_AWS_232, CKV_AWS_231, AVD-AWS-0105]
#   resource_types: [aws_network_acl, aws_default_network_acl, aws_network_acl_rule]
#   remediation: |
#     Allow administration ports only from known networks:
#
#       resource "aws_network_acl_rule" "ssh_from_office" {
#         network_acl_id = aws_network_acl.main.id
#         rule_number    = 100
#         egress         = false
#         protocol       = "tcp"
#         rule_action    = "allow"
#         cidr_block     = "203.0.113.0/24"
#         from_port      = 22
#         to_port        = 22
#       }
package cipa.controls.aws.nacl_admin_ports_open_to_internet

import data.cipa.lib.network
import data.cipa.lib.tfplan

# Administration ports and the protocols they are served on.
admin_ports := [[22, "tcp"], [3389, "tcp"], [3389, "udp"]]

scope contains address if {
	some type in ["aws_network_acl", "aws_default_network_acl"]
	some address in object.get(tfplan.by_type, type, set())
}

scope contains address if {
	some address in object.get(tfplan.by_type, "aws_network_acl_rule", set())
	not tfplan.value(tfplan.resources[address], ["egress"]) == true
}

fail[rule.resource] contains concat("", ["allows port ", format_int(port, 10), " from anywhere: ", network.describe(rule)]) if {
	some rule in network.nacl_ingress_rules
	some [port, protocol] in admin_ports
	network.exposure(rule, {protocol}, port, port) == "fail"
	not network.nacl_shadowed(rule, protocol, port)
}

unknown[rule.resource] contains concat("", [_why(rule), "may allow port ", format_int(port, 10), " from anywhere: ", network.describe(rule)]) if {
	some rule in network.nacl_ingress_rules
	some [port, protocol] in admin_ports
	network.exposure(rule, {protocol}, port, port) == "unknown"
	not network.nacl_shadowed(rule, protocol, port)
}

_why(rule) := "" if {
	rule.certain
} else := "egress or rule_action is known only after apply; the rule "
