package cipa.controls.aws.ssh_open_to_internet_test

import data.cipa.controls.aws.ssh_open_to_internet as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

ingress(overrides) := object.union(
	{
		"cidr_blocks": [], "ipv6_cidr_blocks": [], "from_port": 22, "to_port": 22, "protocol": "tcp",
		"prefix_list_ids": [], "security_groups": [], "self": false, "description": "",
	},
	overrides,
)

test_inline_rule_open_to_world_fails if {
	plan := {"resource_changes": [rc("aws_security_group", "a", {"ingress": [ingress({"cidr_blocks": ["0.0.0.0/0"]})]}, {})]}
	control.fail["aws_security_group.a"] with input as plan
	control.scope == {"aws_security_group.a"} with input as plan
}

test_inline_range_including_22_fails if {
	plan := {"resource_changes": [rc("aws_security_group", "a", {"ingress": [ingress({"from_port": 0, "to_port": 1024, "ipv6_cidr_blocks": ["::/0"]})]}, {})]}
	control.fail["aws_security_group.a"] with input as plan
}

test_private_source_passes if {
	plan := {"resource_changes": [rc("aws_security_group", "a", {"ingress": [ingress({"cidr_blocks": ["10.0.0.0/8"]})]}, {})]}
	not control.fail["aws_security_group.a"] with input as plan
	not control.unknown["aws_security_group.a"] with input as plan
	control.scope["aws_security_group.a"] with input as plan
}

test_other_port_passes if {
	plan := {"resource_changes": [rc("aws_security_group", "a", {"ingress": [ingress({"from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]})]}, {})]}
	not control.fail["aws_security_group.a"] with input as plan
}

test_rule_resource_all_protocols_fails if {
	plan := {"resource_changes": [rc("aws_security_group_rule", "r", {"type": "ingress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}, {})]}
	control.fail["aws_security_group_rule.r"] with input as plan
}

test_egress_rule_out_of_scope if {
	plan := {"resource_changes": [rc("aws_security_group_rule", "r", {"type": "egress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}, {})]}
	count(control.scope) == 0 with input as plan
	count(control.fail) == 0 with input as plan
}

test_v5_rule_ipv6_fails if {
	plan := {"resource_changes": [rc("aws_vpc_security_group_ingress_rule", "r", {"ip_protocol": "-1", "cidr_ipv6": "::/0"}, {})]}
	control.fail["aws_vpc_security_group_ingress_rule.r"] with input as plan
}

test_unknown_source_is_unknown if {
	plan := {"resource_changes": [rc("aws_vpc_security_group_ingress_rule", "r", {"ip_protocol": "tcp", "from_port": 22, "to_port": 22}, {"cidr_ipv4": true})]}
	control.unknown["aws_vpc_security_group_ingress_rule.r"] with input as plan
	not control.fail["aws_vpc_security_group_ingress_rule.r"] with input as plan
}

test_unknown_type_with_world_source_is_unknown if {
	plan := {"resource_changes": [rc("aws_security_group_rule", "r", {"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}, {"type": true})]}
	control.unknown["aws_security_group_rule.r"] with input as plan
	not control.fail["aws_security_group_rule.r"] with input as plan
}

test_rules_in_separate_resources_pass if {
	plan := {
		"resource_changes": [rc("aws_security_group", "a", {"name": "a"}, {"ingress": true})],
		"configuration": {"root_module": {"resources": [{"address": "aws_security_group.a", "mode": "managed", "type": "aws_security_group", "name": "a", "expressions": {"name": {"constant_value": "a"}}}]}},
	}
	not control.fail["aws_security_group.a"] with input as plan
	not control.unknown["aws_security_group.a"] with input as plan
}

test_configured_inline_rules_unknown if {
	plan := {
		"resource_changes": [rc("aws_security_group", "a", {"name": "a"}, {"ingress": true})],
		"configuration": {"root_module": {"resources": [{"address": "aws_security_group.a", "mode": "managed", "type": "aws_security_group", "name": "a", "expressions": {"ingress": {"references": ["var.rules"]}}}]}},
	}
	control.unknown["aws_security_group.a"] with input as plan
}

test_message_names_attribute_and_value if {
	plan := {"resource_changes": [rc("aws_security_group", "a", {"ingress": [ingress({"cidr_blocks": ["0.0.0.0/0"]})]}, {})]}
	control.fail["aws_security_group.a"] == {`admits port 22 from anywhere: ingress[0].cidr_blocks = ["0.0.0.0/0"], ingress[0].protocol = "tcp", ingress[0].from_port = 22, ingress[0].to_port = 22`} with input as plan
}
