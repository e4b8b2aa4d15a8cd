package cipa.controls.aws.cloudwatch_log_group_retention_encryption_test

import data.cipa.controls.aws.cloudwatch_log_group_retention_encryption as control

_group(after, after_unknown, expressions) := {
	"resource_changes": [
		{
			"address": "aws_cloudwatch_log_group.g",
			"mode": "managed",
			"type": "aws_cloudwatch_log_group",
			"name": "g",
			"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
		},
		{
			"address": "aws_kms_key.k",
			"mode": "managed",
			"type": "aws_kms_key",
			"name": "k",
			"change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true}},
		},
	],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_cloudwatch_log_group.g",
		"mode": "managed",
		"type": "aws_cloudwatch_log_group",
		"name": "g",
		"expressions": expressions,
	}]}},
}

_key_ref := {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}

test_year_and_key_pass if {
	inp := _group({"retention_in_days": 365}, {"kms_key_id": true}, {"retention_in_days": {"constant_value": 365}, "kms_key_id": _key_ref})
	control.scope["aws_cloudwatch_log_group.g"] with input as inp
	not control.fail["aws_cloudwatch_log_group.g"] with input as inp
	not control.unknown["aws_cloudwatch_log_group.g"] with input as inp
}

test_never_expire_passes if {
	inp := _group({"retention_in_days": 0, "kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/k"}, {}, {})
	not control.fail["aws_cloudwatch_log_group.g"] with input as inp
	not control.unknown["aws_cloudwatch_log_group.g"] with input as inp
}

test_short_retention_fails if {
	inp := _group({"retention_in_days": 14}, {"kms_key_id": true}, {"retention_in_days": {"constant_value": 14}, "kms_key_id": _key_ref})
	control.fail["aws_cloudwatch_log_group.g"] == {"retention_in_days = 14 (at least 365, or 0 to never expire)"} with input as inp
}

test_no_key_fails if {
	inp := _group({"retention_in_days": 0, "kms_key_id": null}, {}, {})
	control.fail["aws_cloudwatch_log_group.g"] == {"kms_key_id = (not set)"} with input as inp
}

test_empty_key_fails if {
	inp := _group({"retention_in_days": 400, "kms_key_id": ""}, {}, {})
	control.fail["aws_cloudwatch_log_group.g"] == {"kms_key_id = \"\""} with input as inp
}

test_unknown_retention_is_unknown if {
	inp := _group({}, {"retention_in_days": true, "kms_key_id": true}, {"retention_in_days": {"references": ["data.aws_ssm_parameter.r.value"]}, "kms_key_id": _key_ref})
	control.unknown["aws_cloudwatch_log_group.g"] == {"retention_in_days is only known after apply"} with input as inp
	not control.fail["aws_cloudwatch_log_group.g"] with input as inp
}
