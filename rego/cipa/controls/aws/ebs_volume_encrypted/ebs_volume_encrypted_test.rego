package cipa.controls.aws.ebs_volume_encrypted_test

import data.cipa.controls.aws.ebs_volume_encrypted as control

plan(resources) := {
	"resource_changes": [{
		"address": concat(".", [r.type, r.name]), "mode": "managed", "type": r.type, "name": r.name,
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": object.get(r, "actions", ["create"]), "after": r.after, "after_unknown": r.unknown, "after_sensitive": {}},
	} |
		some r in resources
	],
	"configuration": {"root_module": {"resources": [{
		"address": concat(".", [r.type, r.name]), "mode": "managed", "type": r.type, "name": r.name,
		"expressions": r.expressions,
	} |
		some r in resources
	]}},
}

volume(name, after, unknown, expressions) := {"type": "aws_ebs_volume", "name": name, "after": after, "unknown": unknown, "expressions": expressions}

test_encrypted_passes if {
	p := plan([volume("a", {"encrypted": true, "size": 10}, {}, {"encrypted": {"constant_value": true}})])
	control.scope == {"aws_ebs_volume.a"} with input as p
	not control.fail["aws_ebs_volume.a"] with input as p
	not control.unknown["aws_ebs_volume.a"] with input as p
}

test_absent_encrypted_fails_although_unknown_in_plan if {
	p := plan([volume("a", {"size": 10}, {"encrypted": true, "id": true}, {"size": {"constant_value": 10}})])
	control.fail["aws_ebs_volume.a"] with input as p
}

test_explicit_false_fails if {
	p := plan([volume("a", {"encrypted": false}, {}, {"encrypted": {"constant_value": false}})])
	control.fail["aws_ebs_volume.a"] == {"encrypted = false"} with input as p
}

test_configured_unknown_is_unknown if {
	p := plan([volume("a", {}, {"encrypted": true}, {"encrypted": {"references": ["data.aws_ebs_default_kms_key.current.key_arn"]}})])
	control.unknown["aws_ebs_volume.a"] with input as p
	not control.fail["aws_ebs_volume.a"] with input as p
}

test_snapshot_without_encrypted_is_unknown if {
	p := plan([volume("a", {"snapshot_id": "snap-0123"}, {"encrypted": true}, {"snapshot_id": {"constant_value": "snap-0123"}})])
	control.unknown["aws_ebs_volume.a"] with input as p
	not control.fail["aws_ebs_volume.a"] with input as p
}

test_account_default_passes_every_volume if {
	p := plan([
		volume("a", {}, {"encrypted": true}, {}),
		volume("b", {"encrypted": false}, {}, {"encrypted": {"constant_value": false}}),
		{"type": "aws_ebs_encryption_by_default", "name": "on", "after": {"enabled": true}, "unknown": {"id": true}, "expressions": {}},
	])
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_account_default_disabled_does_not_help if {
	p := plan([
		volume("a", {}, {"encrypted": true}, {}),
		{"type": "aws_ebs_encryption_by_default", "name": "off", "after": {"enabled": false}, "unknown": {}, "expressions": {"enabled": {"constant_value": false}}},
	])
	control.fail["aws_ebs_volume.a"] with input as p
}

test_unchanged_volume_known_encrypted_passes if {
	p := plan([object.union(volume("a", {"encrypted": true}, {}, {}), {"actions": ["no-op"]})])
	not control.fail["aws_ebs_volume.a"] with input as p
}
