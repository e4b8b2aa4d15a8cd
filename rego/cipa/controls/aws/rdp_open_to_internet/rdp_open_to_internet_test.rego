package cipa.controls.aws.rdp_open_to_internet_test

import data.cipa.controls.aws.rdp_open_to_internet as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

rule(overrides) := object.union({"type": "ingress", "protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidr_blocks": ["0.0.0.0/0"]}, overrides)

test_rdp_world_fails if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({}), {})]}
	control.fail["aws_security_group_rule.r"] with input as p
}

test_rdp_udp_world_fails if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({"protocol": "17"}), {})]}
	control.fail["aws_security_group_rule.r"] with input as p
}

test_range_including_3389_fails if {
	p := {"resource_changes": [rc("aws_security_group", "g", {"ingress": [rule({"from_port": 3000, "to_port": 4000, "cidr_blocks": [], "ipv6_cidr_blocks": ["::/0"]})]}, {})]}
	control.fail["aws_security_group.g"] with input as p
}

test_ssh_world_passes if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({"from_port": 22, "to_port": 22}), {})]}
	control.scope["aws_security_group_rule.r"] with input as p
	not control.fail["aws_security_group_rule.r"] with input as p
	not control.unknown["aws_security_group_rule.r"] with input as p
}

test_rdp_private_passes if {
	p := {"resource_changes": [rc("aws_vpc_security_group_ingress_rule", "r", {"ip_protocol": "tcp", "from_port": 3389, "to_port": 3389, "cidr_ipv4": "10.0.0.0/8"}, {})]}
	not control.fail["aws_vpc_security_group_ingress_rule.r"] with input as p
}

test_rdp_unknown_source if {
	p := {"resource_changes": [rc("aws_security_group_rule", "r", rule({"cidr_blocks": null}), {"cidr_blocks": true})]}
	control.unknown["aws_security_group_rule.r"] with input as p
}
