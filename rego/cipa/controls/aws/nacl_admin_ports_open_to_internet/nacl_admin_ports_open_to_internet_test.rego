package cipa.controls.aws.nacl_admin_ports_open_to_internet_test

import data.cipa.controls.aws.nacl_admin_ports_open_to_internet as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

entry(overrides) := object.union(
	{"action": "allow", "cidr_block": "0.0.0.0/0", "ipv6_cidr_block": "", "from_port": 22, "to_port": 22, "protocol": "tcp", "rule_no": 100, "icmp_code": 0, "icmp_type": 0},
	overrides,
)

rule(overrides) := object.union(
	{"egress": false, "rule_action": "allow", "cidr_block": "0.0.0.0/0", "from_port": 3389, "to_port": 3389, "protocol": "6", "rule_number": 100},
	overrides,
)

test_inline_ssh_world_fails if {
	p := {"resource_changes": [rc("aws_network_acl", "a", {"ingress": [entry({})], "egress": []}, {})]}
	control.fail["aws_network_acl.a"] with input as p
}

test_inline_deny_passes if {
	p := {"resource_changes": [rc("aws_network_acl", "a", {"ingress": [entry({"action": "deny"})], "egress": []}, {})]}
	control.scope["aws_network_acl.a"] with input as p
	not control.fail["aws_network_acl.a"] with input as p
	not control.unknown["aws_network_acl.a"] with input as p
}

test_inline_all_protocols_fails_for_both_ports if {
	p := {"resource_changes": [rc("aws_default_network_acl", "d", {"ingress": [entry({"protocol": "-1", "from_port": 0, "to_port": 0})]}, {})]}
	count(control.fail["aws_default_network_acl.d"]) == 2 with input as p
}

test_rule_rdp_world_fails if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({}), {})]}
	control.fail["aws_network_acl_rule.r"] with input as p
}

test_rule_ipv6_range_fails if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({"cidr_block": null, "ipv6_cidr_block": "::/0", "from_port": 1, "to_port": 1024}), {})]}
	control.fail["aws_network_acl_rule.r"] with input as p
}

test_egress_rule_out_of_scope if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({"egress": true}), {})]}
	count(control.scope) == 0 with input as p
}

test_private_source_passes if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({"cidr_block": "10.0.0.0/8"}), {})]}
	not control.fail["aws_network_acl_rule.r"] with input as p
	not control.unknown["aws_network_acl_rule.r"] with input as p
}

test_https_world_passes if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({"from_port": 443, "to_port": 443}), {})]}
	not control.fail["aws_network_acl_rule.r"] with input as p
}

test_unknown_cidr_is_unknown if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({"cidr_block": null}), {"cidr_block": true})]}
	control.unknown["aws_network_acl_rule.r"] with input as p
}

test_unknown_action_is_unknown if {
	p := {"resource_changes": [rc("aws_network_acl_rule", "r", rule({"rule_action": null}), {"rule_action": true})]}
	control.unknown["aws_network_acl_rule.r"] with input as p
	not control.fail["aws_network_acl_rule.r"] with input as p
}
