package cipa.controls.aws.all_ports_open_to_internet_test

import data.cipa.controls.aws.all_ports_open_to_internet as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

rule(overrides) := object.union({"type": "ingress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}, overrides)

test_all_protocols_world_fails if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({}), {})]}
	control.fail["aws_security_group_rule.r"] with input as p
}

test_full_tcp_range_fails if {
	p := {"resource_changes": [rc("aws_security_group", "g", {"ingress": [rule({"protocol": "tcp", "to_port": 65535})]}, {})]}
	control.fail["aws_security_group.g"] with input as p
}

test_v5_all_protocols_ipv6_fails if {
	p := {"resource_changes": [rc("aws_vpc_security_group_ingress_rule", "r", {"ip_protocol": "-1", "cidr_ipv6": "::/0"}, {})]}
	control.fail["aws_vpc_security_group_ingress_rule.r"] with input as p
}

test_partial_range_passes if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({"protocol": "tcp", "from_port": 1024, "to_port": 65535}), {})]}
	not control.fail["aws_security_group_rule.r"] with input as p
	not control.unknown["aws_security_group_rule.r"] with input as p
}

test_all_protocols_private_passes if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({"cidr_blocks": ["10.0.0.0/8"]}), {})]}
	not control.fail["aws_security_group_rule.r"] with input as p
}

test_unknown_protocol_world_is_unknown if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({"protocol": null}), {"protocol": true})]}
	control.unknown["aws_security_group_rule.r"] with input as p
}
