package cipa.controls.aws.s3_bucket_versioning_test

import data.cipa.controls.aws.s3_bucket_versioning as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_v4_plan(versioning_after, versioning_unknown) := {
	"resource_changes": [
		_rc("aws_s3_bucket", "a", {"bucket": "a"}, {"id": true, "versioning": true}),
		_rc("aws_s3_bucket_versioning", "a", versioning_after, object.union({"bucket": true}, versioning_unknown)),
	],
	"configuration": {"root_module": {"resources": [
		_cfg("aws_s3_bucket", "a", {}),
		_cfg("aws_s3_bucket_versioning", "a", {"bucket": {"references": ["aws_s3_bucket.a.id", "aws_s3_bucket.a"]}}),
	]}},
}

test_v4_enabled_passes if {
	plan := _v4_plan({"versioning_configuration": [{"status": "Enabled"}]}, {})
	control.scope == {"aws_s3_bucket.a"} with input as plan
	count(control.fail) == 0 with input as plan
	count(control.unknown) == 0 with input as plan
}

test_v4_suspended_fails if {
	plan := _v4_plan({"versioning_configuration": [{"status": "Suspended"}]}, {})
	control.fail["aws_s3_bucket.a"] == {"aws_s3_bucket_versioning.a sets versioning_configuration.status = \"Suspended\""} with input as plan
}

test_v4_status_unknown_is_unknown if {
	plan := _v4_plan({"versioning_configuration": [{}]}, {"versioning_configuration": [{"status": true}]})
	control.unknown["aws_s3_bucket.a"] == {"aws_s3_bucket_versioning.a sets versioning_configuration.status only after apply"} with input as plan
	not control.fail["aws_s3_bucket.a"] with input as plan
}

test_v4_computed_inline_block_is_not_a_declaration if {
	plan := {
		"resource_changes": [_rc("aws_s3_bucket", "a", {"bucket": "a"}, {"versioning": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_s3_bucket", "a", {})]}},
	}
	control.fail["aws_s3_bucket.a"] == {"versioning is not enabled: no inline versioning block and no aws_s3_bucket_versioning refers to this bucket"} with input as plan
	not control.unknown["aws_s3_bucket.a"] with input as plan
}

test_v3_inline if {
	plan := {"resource_changes": [
		_rc("aws_s3_bucket", "on", {"versioning": [{"enabled": true, "mfa_delete": false}]}, {}),
		_rc("aws_s3_bucket", "off", {"versioning": [{"enabled": false, "mfa_delete": false}]}, {}),
	]}
	not control.fail["aws_s3_bucket.on"] with input as plan
	control.fail["aws_s3_bucket.off"] == {"aws_s3_bucket.off sets versioning.enabled = false"} with input as plan
}
