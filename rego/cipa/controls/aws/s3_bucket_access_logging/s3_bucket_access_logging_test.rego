package cipa.controls.aws.s3_bucket_access_logging_test

import data.cipa.controls.aws.s3_bucket_access_logging as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_refs(address) := {"references": [concat("", [address, ".id"]), address]}

v4_plan := {
	"resource_changes": [
		_rc("aws_s3_bucket", "data", {"bucket": "data"}, {"id": true, "logging": true}),
		_rc("aws_s3_bucket", "logs", {"bucket": "logs"}, {"id": true, "logging": true}),
		_rc("aws_s3_bucket", "other", {"bucket": "other"}, {"id": true, "logging": true}),
		_rc("aws_s3_bucket_logging", "data", {"target_prefix": "log/"}, {"bucket": true, "target_bucket": true}),
	],
	"configuration": {"root_module": {"resources": [
		_cfg("aws_s3_bucket", "data", {}),
		_cfg("aws_s3_bucket", "logs", {}),
		_cfg("aws_s3_bucket", "other", {}),
		_cfg("aws_s3_bucket_logging", "data", {"bucket": _refs("aws_s3_bucket.data"), "target_bucket": _refs("aws_s3_bucket.logs")}),
	]}},
}

test_logging_resource_passes_and_target_is_exempt if {
	control.scope == {"aws_s3_bucket.data", "aws_s3_bucket.other"} with input as v4_plan
	not control.fail["aws_s3_bucket.data"] with input as v4_plan
	control.fail["aws_s3_bucket.other"] with input as v4_plan
	count(control.unknown) == 0 with input as v4_plan
}

test_log_delivery_acl_is_exempt if {
	plan := {"resource_changes": [_rc("aws_s3_bucket", "logs", {"bucket": "logs", "acl": "log-delivery-write", "logging": []}, {})]}
	count(control.scope) == 0 with input as plan
}

test_v3_inline if {
	plan := {"resource_changes": [
		_rc("aws_s3_bucket", "on", {"bucket": "on", "logging": [{"target_bucket": "elsewhere", "target_prefix": "x"}]}, {}),
		_rc("aws_s3_bucket", "off", {"bucket": "off", "logging": []}, {}),
	]}
	not control.fail["aws_s3_bucket.on"] with input as plan
	control.fail["aws_s3_bucket.off"] with input as plan
}

test_inline_block_unknown_is_unknown if {
	plan := {
		"resource_changes": [_rc("aws_s3_bucket", "a", {"bucket": "a"}, {"logging": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_s3_bucket", "a", {"logging": {"references": ["local.logging"]}})]}},
	}
	control.unknown["aws_s3_bucket.a"] == {"the inline logging block is only known after apply"} with input as plan
	not control.fail["aws_s3_bucket.a"] with input as plan
}
