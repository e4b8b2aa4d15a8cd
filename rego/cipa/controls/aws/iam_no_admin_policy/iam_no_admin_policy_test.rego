package cipa.controls.aws.iam_no_admin_policy_test

import data.cipa.controls.aws.iam_no_admin_policy as control

_policy(name, after, after_unknown) := {
	"address": concat(".", ["aws_iam_policy", name]),
	"mode": "managed",
	"type": "aws_iam_policy",
	"name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

_input(changes, config_resources, state_resources) := {
	"resource_changes": changes,
	"configuration": {"root_module": {"resources": config_resources}},
	"prior_state": {"values": {"root_module": {"resources": state_resources}}},
}

_known(name, document) := _policy(name, {"policy": json.marshal(document)}, {})

_config(name, expressions) := {
	"address": concat(".", ["aws_iam_policy", name]),
	"mode": "managed",
	"type": "aws_iam_policy",
	"name": name,
	"expressions": expressions,
}

test_star_on_star_fails if {
	doc := {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
	control.fail["aws_iam_policy.a"] with input as _input([_known("a", doc)], [], [])
}

test_star_colon_star_in_list_fails if {
	doc := {"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["arn:aws:s3:::x", "*"]}]}
	control.fail["aws_iam_policy.a"] with input as _input([_known("a", doc)], [], [])
}

test_inline_role_policy_fails if {
	rc := {
		"address": "aws_iam_role_policy.r",
		"mode": "managed",
		"type": "aws_iam_role_policy",
		"name": "r",
		"change": {"actions": ["update"], "after": {"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}},
	}
	control.fail["aws_iam_role_policy.r"] with input as _input([rc], [], [])
}

test_deny_passes if {
	doc := {"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
	inp := _input([_known("a", doc)], [], [])
	control.scope["aws_iam_policy.a"] with input as inp
	not control.fail["aws_iam_policy.a"] with input as inp
	not control.unknown["aws_iam_policy.a"] with input as inp
}

test_star_action_on_specific_resource_passes if {
	doc := {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::x"}]}
	not control.fail["aws_iam_policy.a"] with input as _input([_known("a", doc)], [], [])
}

test_service_wildcard_on_star_passes if {
	doc := {"Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}]}
	not control.fail["aws_iam_policy.a"] with input as _input([_known("a", doc)], [], [])
}

test_unknown_policy_is_unknown if {
	inp := _input([_policy("a", {}, {"policy": true})], [], [])
	control.unknown["aws_iam_policy.a"] with input as inp
	not control.fail["aws_iam_policy.a"] with input as inp
}

test_deferred_data_source_is_unknown if {
	data_rc := {
		"address": "data.aws_iam_policy_document.d",
		"mode": "data",
		"type": "aws_iam_policy_document",
		"name": "d",
		"change": {"actions": ["read"], "after": {}, "after_unknown": {"json": true}},
	}
	refs := {"policy": {"references": ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]}}
	inp := _input([_policy("a", {}, {"policy": true}), data_rc], [_config("a", refs)], [])
	control.unknown["aws_iam_policy.a"] == {"policy comes from data.aws_iam_policy_document.d, read only at apply"} with input as inp
}

test_data_source_read_at_plan_decides if {
	state := {
		"address": "data.aws_iam_policy_document.d",
		"mode": "data",
		"type": "aws_iam_policy_document",
		"name": "d",
		"values": {"json": "{\"Statement\":[{\"Sid\":\"All\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"},
	}
	refs := {"policy": {"references": ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]}}
	inp := _input([_policy("a", {}, {"policy": true})], [_config("a", refs)], [state])
	control.fail["aws_iam_policy.a"] == {"policy statement \"All\" allows Action \"*\" on Resource \"*\""} with input as inp
	not control.unknown["aws_iam_policy.a"] with input as inp
}

test_deleted_policy_out_of_scope if {
	rc := {
		"address": "aws_iam_policy.a",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "a",
		"change": {"actions": ["delete"], "after": null},
	}
	not control.scope["aws_iam_policy.a"] with input as _input([rc], [], [])
}

test_sensitive_policy_is_not_shown if {
	rc := {
		"address": "aws_iam_policy.s",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "s",
		"change": {
			"actions": ["create"],
			"after": {"policy": "{\"Statement\":[{\"Sid\":\"secret-name\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"},
			"after_sensitive": {"policy": true},
		},
	}
	control.fail["aws_iam_policy.s"] == {"policy statement 0 allows Action (sensitive) on Resource (sensitive)"} with input as _input([rc], [], [])
}
