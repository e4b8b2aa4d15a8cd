package cipa.lib.network_test

import data.cipa.lib.network

rule(overrides) := object.union(
	{
		"resource": "aws_security_group_rule.r", "path": [], "certain": true,
		"protocol": "tcp", "protocol_path": ["protocol"],
		"from_port": 22, "from_path": ["from_port"], "to_port": 22, "to_path": ["to_port"],
		"sources": ["0.0.0.0/0"], "source_paths": [["cidr_blocks"]], "unknown": set(),
	},
	overrides,
)

test_protocol_names if {
	network.protocol_name("-1") == "all"
	network.protocol_name(-1) == "all"
	network.protocol_name("ALL") == "all"
	network.protocol_name("6") == "tcp"
	network.protocol_name(6) == "tcp"
	network.protocol_name("TCP") == "tcp"
	network.protocol_name("17") == "udp"
	network.protocol_name("icmp") == "icmp"
	network.protocol_name("50") == "50"
}

test_anywhere if {
	network.is_anywhere("0.0.0.0/0")
	network.is_anywhere("::/0")
	not network.is_anywhere("10.0.0.0/8")
	not network.is_anywhere("0.0.0.0/1")
	not network.is_anywhere(null)
}

test_port_ranges if {
	network.port_match(rule({}), {"tcp"}, 22, 22) == "yes"
	network.port_match(rule({"from_port": 20, "to_port": 25}), {"tcp"}, 22, 22) == "yes"
	network.port_match(rule({"from_port": 23, "to_port": 25}), {"tcp"}, 22, 22) == "no"
	network.port_match(rule({"protocol": "udp"}), {"tcp"}, 22, 22) == "no"
	network.port_match(rule({"protocol": "udp"}), {"tcp", "udp"}, 22, 22) == "yes"
	network.port_match(rule({"protocol": "-1", "from_port": 0, "to_port": 0}), {"tcp"}, 22, 22) == "yes"
	network.port_match(rule({"protocol": "icmp", "from_port": 0, "to_port": 65535}), {"tcp"}, 22, 22) == "no"
	network.port_match(rule({"protocol": null, "unknown": {"protocol"}}), {"tcp"}, 22, 22) == "maybe"
	network.port_match(rule({"from_port": null, "unknown": {"ports"}}), {"tcp"}, 22, 22) == "maybe"
	network.port_match(rule({"from_port": 0, "to_port": 65535}), {"tcp", "udp"}, 1, 65535) == "yes"
	network.port_match(rule({"from_port": 1024, "to_port": 65535}), {"tcp", "udp"}, 1, 65535) == "no"
}

test_sources if {
	network.source_match(rule({})) == "yes"
	network.source_match(rule({"certain": false})) == "maybe"
	network.source_match(rule({"sources": ["10.0.0.0/8"]})) == "no"
	network.source_match(rule({"sources": [], "unknown": {"sources"}})) == "maybe"
}

test_exposure if {
	network.exposure(rule({}), {"tcp"}, 22, 22) == "fail"
	network.exposure(rule({"sources": [], "unknown": {"sources"}}), {"tcp"}, 22, 22) == "unknown"
	not network.exposure(rule({"sources": ["10.0.0.0/8"]}), {"tcp"}, 22, 22)
	not network.exposure(rule({"from_port": 443, "to_port": 443, "unknown": {"sources"}}), {"tcp"}, 22, 22)
}

test_path_label if {
	network.path_label(["ingress", 0, "cidr_blocks"]) == "ingress[0].cidr_blocks"
	network.path_label(["cidr_ipv4"]) == "cidr_ipv4"
}

plan(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_instance.a", "mode": "managed", "type": "aws_instance", "name": "a",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_instance.a", "mode": "managed", "type": "aws_instance", "name": "a",
		"expressions": expressions,
	}]}},
}

tokens := ["metadata_options", 0, "http_tokens"]

test_setting_known_value_wins if {
	p := plan({"metadata_options": [{"http_tokens": "required"}]}, {}, {})
	network.setting(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens, "optional") == "required" with input as p
}

test_setting_unconfigured_unknown_takes_default if {
	p := plan({}, {"metadata_options": true}, {})
	network.setting(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens, "optional") == "optional" with input as p
}

test_setting_configured_unknown_is_undefined if {
	p := plan({"metadata_options": [{}]}, {"metadata_options": [{"http_tokens": true}]}, {"metadata_options": [{"http_tokens": {"references": ["var.tokens"]}}]})
	not network.setting(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens, "optional") with input as p
}

test_configured_as_attribute if {
	p := plan({}, {"metadata_options": true}, {"metadata_options": {"constant_value": [{"http_tokens": "required"}]}})
	network.configured_at(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens) with input as p
}

test_configured_without_configuration if {
	p := object.remove(plan({}, {"metadata_options": true}, {}), ["configuration"])
	network.configured_at(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens) with input as p
}

test_undecided if {
	p := plan({"metadata_options": [{}]}, {"metadata_options": [{"http_tokens": true}]}, {"metadata_options": [{"http_tokens": {"references": ["var.tokens"]}}]})
	network.undecided(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens) with input as p
	q := plan({}, {"metadata_options": true}, {})
	not network.undecided(data.cipa.lib.tfplan.resources["aws_instance.a"], tokens) with input as q
}

test_null_protocol_matches_nothing if {
	network.protocol_name(null) == ""
	network.port_match(rule({"protocol": null}), {"tcp"}, 22, 22) == "no"
}

change(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

test_sg_ingress_rules_of_every_kind if {
	p := {"resource_changes": [
		change("aws_security_group", "g", {"ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": []}]}, {}),
		change("aws_security_group_rule", "in", {"type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["10.0.0.0/8"]}, {}),
		change("aws_security_group_rule", "out", {"type": "egress", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}, {}),
		change("aws_vpc_security_group_ingress_rule", "v5", {"ip_protocol": "-1", "cidr_ipv6": "::/0"}, {}),
	]}
	rules := network.sg_ingress_rules with input as p
	{[r.resource, r.path] | some r in rules} == {
		["aws_security_group.g", ["ingress", 0]],
		["aws_security_group_rule.in", []],
		["aws_vpc_security_group_ingress_rule.v5", []],
	}
	some v5 in rules
	v5.resource == "aws_vpc_security_group_ingress_rule.v5"
	v5.sources == ["::/0"]
	v5.protocol == "-1"
}

test_nacl_rules_skip_deny_and_egress if {
	p := {"resource_changes": [
		change(
			"aws_network_acl", "a", {"ingress": [
				{"action": "deny", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_block": "0.0.0.0/0", "rule_no": 1},
				{"action": "ALLOW", "protocol": "6", "from_port": 80, "to_port": 80, "cidr_block": "0.0.0.0/0", "rule_no": 2},
			]},
			{},
		),
		change("aws_network_acl_rule", "e", {"egress": true, "rule_action": "allow", "protocol": "-1", "cidr_block": "0.0.0.0/0"}, {}),
	]}
	rules := network.nacl_ingress_rules with input as p
	{[r.resource, r.path] | some r in rules} == {["aws_network_acl.a", ["ingress", 1]]}
}

test_describe_names_attributes if {
	p := {"resource_changes": [change("aws_security_group_rule", "r", {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"], "ipv6_cidr_blocks": []}, {})]}
	some r in network.sg_ingress_rules with input as p
	network.describe(r) == `cidr_blocks = ["0.0.0.0/0"], protocol = "tcp", from_port = 22, to_port = 22` with input as p
}

test_attribute_refers_to_by_reference_and_by_id if {
	p := {
		"resource_changes": [
			change("aws_vpc", "v", {"cidr_block": "10.0.0.0/16"}, {"id": true}),
			change("aws_flow_log", "by_ref", {}, {"vpc_id": true}),
			change("aws_flow_log", "by_tag", {"tags": {}}, {"vpc_id": true, "tags": {"Vpc": true}}),
			change("aws_subnet", "known", {"vpc_id": "vpc-1"}, {}),
			change("aws_vpc", "existing", {"id": "vpc-1"}, {}),
		],
		"configuration": {"root_module": {"resources": [
			{"address": "aws_flow_log.by_ref", "mode": "managed", "type": "aws_flow_log", "name": "by_ref", "expressions": {"vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}}},
			{"address": "aws_flow_log.by_tag", "mode": "managed", "type": "aws_flow_log", "name": "by_tag", "expressions": {"tags": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}}},
		]}},
	}
	resources := data.cipa.lib.tfplan.resources with input as p
	network.attribute_refers_to(resources["aws_flow_log.by_ref"], "vpc_id", "aws_vpc.v") with input as p
	not network.attribute_refers_to(resources["aws_flow_log.by_tag"], "vpc_id", "aws_vpc.v") with input as p
	network.attribute_refers_to(resources["aws_subnet.known"], "vpc_id", "aws_vpc.existing") with input as p
}

test_ebs_encryption_by_default if {
	on := {"resource_changes": [change("aws_ebs_encryption_by_default", "d", {"enabled": true}, {})]}
	network.ebs_encryption_by_default with input as on
	off := {"resource_changes": [change("aws_ebs_encryption_by_default", "d", {"enabled": false}, {})]}
	not network.ebs_encryption_by_default with input as off
}
