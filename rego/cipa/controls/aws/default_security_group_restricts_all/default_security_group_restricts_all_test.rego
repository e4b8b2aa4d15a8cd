package cipa.controls.aws.default_security_group_restricts_all_test

import data.cipa.controls.aws.default_security_group_restricts_all as control

aws := "registry.terraform.io/hashicorp/aws"

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "provider_name": aws,
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

world := {"cidr_blocks": ["0.0.0.0/0"], "from_port": 0, "to_port": 0, "protocol": "-1", "self": false}

test_no_rules_passes if {
	p := {
		"resource_changes": [rc("aws_default_security_group", "d", {}, {"ingress": true, "egress": true, "id": true})],
		"configuration": {"root_module": {"resources": [cfg("aws_default_security_group", "d", {"vpc_id": {"references": ["aws_vpc.v.id", "aws_vpc.v"]}})]}},
	}
	control.scope == {"aws_default_security_group.d"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_inline_ingress_fails if {
	p := {"resource_changes": [rc("aws_default_security_group", "d", {"ingress": [world], "egress": []}, {})]}
	control.fail["aws_default_security_group.d"] with input as p
}

test_inline_egress_fails if {
	p := {"resource_changes": [rc("aws_default_security_group", "d", {"ingress": [], "egress": [world]}, {})]}
	control.fail["aws_default_security_group.d"] with input as p
}

test_attached_rule_fails if {
	p := {
		"resource_changes": [
			rc("aws_default_security_group", "d", {}, {"ingress": true, "egress": true, "id": true}),
			rc("aws_vpc_security_group_egress_rule", "out", {"ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}, {"security_group_id": true}),
		],
		"configuration": {"root_module": {"resources": [
			cfg("aws_default_security_group", "d", {}),
			cfg("aws_vpc_security_group_egress_rule", "out", {"security_group_id": {"references": ["aws_default_security_group.d.id", "aws_default_security_group.d"]}}),
		]}},
	}
	control.fail["aws_default_security_group.d"] == {"aws_vpc_security_group_egress_rule.out adds a rule to this group through security_group_id"} with input as p
}

test_rule_using_default_group_as_source_is_not_attached if {
	p := {
		"resource_changes": [
			rc("aws_default_security_group", "d", {}, {"ingress": true, "egress": true, "id": true}),
			rc("aws_security_group_rule", "r", {"type": "ingress", "protocol": "tcp", "from_port": 443, "to_port": 443}, {"security_group_id": true, "source_security_group_id": true}),
		],
		"configuration": {"root_module": {"resources": [
			cfg("aws_default_security_group", "d", {}),
			cfg("aws_security_group_rule", "r", {
				"security_group_id": {"references": ["aws_security_group.app.id", "aws_security_group.app"]},
				"source_security_group_id": {"references": ["aws_default_security_group.d.id", "aws_default_security_group.d"]},
			}),
		]}},
	}
	count(control.fail) == 0 with input as p
}

test_configured_unknown_rules_are_unknown if {
	p := {
		"resource_changes": [rc("aws_default_security_group", "d", {}, {"ingress": true, "egress": true})],
		"configuration": {"root_module": {"resources": [cfg("aws_default_security_group", "d", {"ingress": {"references": ["local.rules"]}})]}},
	}
	control.unknown["aws_default_security_group.d"] with input as p
	not control.fail["aws_default_security_group.d"] with input as p
}

test_account_unknown_without_default_group if {
	p := {"resource_changes": [rc("aws_vpc", "v", {"cidr_block": "10.0.0.0/16"}, {"id": true})]}
	control.scope == {"aws_default_security_group"} with input as p
	control.unknown.aws_default_security_group with input as p
}

test_no_aws_no_scope if {
	p := {"resource_changes": [{
		"address": "google_compute_network.n", "mode": "managed", "type": "google_compute_network", "name": "n",
		"provider_name": "registry.terraform.io/hashicorp/google",
		"change": {"actions": ["create"], "after": {}, "after_unknown": {}, "after_sensitive": {}},
	}]}
	count(control.scope) == 0 with input as p
}
