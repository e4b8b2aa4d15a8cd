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

test_lower_numbered_deny_clears_allow if {
	p := {"resource_changes": [rc(
		"aws_network_acl", "a", {"ingress": [
			entry({"action": "deny", "rule_no": 90, "from_port": 3389, "to_port": 3389}),
			entry({"action": "deny", "rule_no": 91, "protocol": "udp", "from_port": 3389, "to_port": 3389}),
			entry({"action": "deny", "rule_no": 92, "from_port": 22, "to_port": 22}),
			entry({"rule_no": 100, "from_port": 1024, "to_port": 65535}),
			entry({"rule_no": 110, "protocol": "udp", "from_port": 1024, "to_port": 65535}),
		]},
		{},
	)]}
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_higher_numbered_deny_does_not_clear if {
	p := {"resource_changes": [rc(
		"aws_network_acl", "a", {"ingress": [
			entry({"rule_no": 100}),
			entry({"action": "deny", "rule_no": 200}),
		]},
		{},
	)]}
	control.fail["aws_network_acl.a"] with input as p
}

test_deny_for_other_source_does_not_clear if {
	p := {"resource_changes": [rc(
		"aws_network_acl", "a", {"ingress": [
			entry({"action": "deny", "rule_no": 50, "cidr_block": "", "ipv6_cidr_block": "::/0"}),
			entry({"rule_no": 100}),
		]},
		{},
	)]}
	control.fail["aws_network_acl.a"] with input as p
}

test_deny_rule_resource_clears_allow_rule_resource if {
	p := {
		"resource_changes": [
			rc("aws_network_acl", "a", {}, {"id": true, "ingress": true}),
			rc("aws_network_acl_rule", "deny_rdp", rule({"rule_action": "deny", "rule_number": 50}), {"network_acl_id": true}),
			rc("aws_network_acl_rule", "allow_high", rule({"rule_number": 100, "from_port": 1024, "to_port": 65535}), {"network_acl_id": true}),
		],
		"configuration": {"root_module": {"resources": [
			{"address": "aws_network_acl.a", "mode": "managed", "type": "aws_network_acl", "name": "a", "expressions": {}},
			{"address": "aws_network_acl_rule.deny_rdp", "mode": "managed", "type": "aws_network_acl_rule", "name": "deny_rdp", "expressions": {"network_acl_id": {"references": ["aws_network_acl.a.id", "aws_network_acl.a"]}}},
			{"address": "aws_network_acl_rule.allow_high", "mode": "managed", "type": "aws_network_acl_rule", "name": "allow_high", "expressions": {"network_acl_id": {"references": ["aws_network_acl.a.id", "aws_network_acl.a"]}}},
		]}},
	}
	count(control.fail) == 0 with input as p
}

test_inline_unknown_action_is_unknown if {
	p := {"resource_changes": [rc("aws_network_acl", "a", {"ingress": [entry({"action": null})]}, {"ingress": [{"action": true}]})]}
	control.unknown["aws_network_acl.a"] with input as p
	not control.fail["aws_network_acl.a"] with input as p
}
