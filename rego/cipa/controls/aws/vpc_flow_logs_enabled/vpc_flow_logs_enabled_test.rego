package cipa.controls.aws.vpc_flow_logs_enabled_test

import data.cipa.controls.aws.vpc_flow_logs_enabled as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

vpc_ref(name) := {"vpc_id": {"references": [concat("", ["aws_vpc.", name, ".id"]), concat("", ["aws_vpc.", name])]}}

test_flow_log_by_reference_passes if {
	p := {
		"resource_changes": [
			rc("aws_vpc", "a", {"cidr_block": "10.0.0.0/16"}, {"id": true}),
			rc("aws_flow_log", "a", {"traffic_type": "ALL"}, {"id": true, "vpc_id": true}),
		],
		"configuration": {"root_module": {"resources": [cfg("aws_vpc", "a", {}), cfg("aws_flow_log", "a", vpc_ref("a"))]}},
	}
	control.scope == {"aws_vpc.a"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_vpc_without_flow_log_fails if {
	p := {
		"resource_changes": [
			rc("aws_vpc", "a", {"cidr_block": "10.0.0.0/16"}, {"id": true}),
			rc("aws_vpc", "b", {"cidr_block": "10.1.0.0/16"}, {"id": true}),
			rc("aws_flow_log", "a", {"traffic_type": "ALL"}, {"id": true, "vpc_id": true}),
		],
		"configuration": {"root_module": {"resources": [cfg("aws_vpc", "a", {}), cfg("aws_vpc", "b", {}), cfg("aws_flow_log", "a", vpc_ref("a"))]}},
	}
	control.fail["aws_vpc.b"] with input as p
	not control.fail["aws_vpc.a"] with input as p
}

test_flow_log_by_known_id_passes if {
	p := {"resource_changes": [
		rc("aws_vpc", "a", {"id": "vpc-0123", "cidr_block": "10.0.0.0/16"}, {}),
		rc("aws_flow_log", "a", {"vpc_id": "vpc-0123"}, {"id": true}),
	]}
	count(control.fail) == 0 with input as p
}

test_subnet_flow_log_does_not_count if {
	p := {
		"resource_changes": [
			rc("aws_vpc", "a", {"cidr_block": "10.0.0.0/16"}, {"id": true}),
			rc("aws_subnet", "s", {"cidr_block": "10.0.0.0/24"}, {"id": true, "vpc_id": true}),
			rc("aws_flow_log", "s", {}, {"id": true, "subnet_id": true}),
		],
		"configuration": {"root_module": {"resources": [
			cfg("aws_vpc", "a", {}),
			cfg("aws_subnet", "s", vpc_ref("a")),
			cfg("aws_flow_log", "s", {"subnet_id": {"references": ["aws_subnet.s.id", "aws_subnet.s"]}, "tags": {"references": ["aws_vpc.a.id", "aws_vpc.a"]}}),
		]}},
	}
	control.fail["aws_vpc.a"] with input as p
}

test_untraced_flow_log_makes_unknown if {
	p := {
		"resource_changes": [
			rc("aws_vpc", "a", {"cidr_block": "10.0.0.0/16"}, {"id": true}),
			rc("aws_flow_log", "x", {}, {"id": true, "vpc_id": true}),
		],
		"configuration": {"root_module": {"resources": [cfg("aws_vpc", "a", {}), cfg("aws_flow_log", "x", {"vpc_id": {"references": ["data.aws_vpc.shared.id", "data.aws_vpc.shared"]}})]}},
	}
	control.unknown["aws_vpc.a"] with input as p
	not control.fail["aws_vpc.a"] with input as p
}
