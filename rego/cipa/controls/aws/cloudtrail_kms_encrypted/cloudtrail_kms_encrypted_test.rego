package cipa.controls.aws.cloudtrail_kms_encrypted_test

import data.cipa.controls.aws.cloudtrail_kms_encrypted as control

_trail(after, after_unknown, expressions) := {
	"resource_changes": [
		{
			"address": "aws_cloudtrail.t",
			"mode": "managed",
			"type": "aws_cloudtrail",
			"name": "t",
			"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
		},
		{
			"address": "aws_kms_key.x",
			"mode": "managed",
			"type": "aws_kms_key",
			"name": "x",
			"change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true}},
		},
	],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_cloudtrail.t",
		"mode": "managed",
		"type": "aws_cloudtrail",
		"name": "t",
		"expressions": expressions,
	}]}},
}

test_known_value_passes if {
	inp := _trail({"kms_key_id": "arn:aws:example"}, {}, {"kms_key_id": {"constant_value": "arn:aws:example"}})
	control.scope["aws_cloudtrail.t"] with input as inp
	not control.fail["aws_cloudtrail.t"] with input as inp
	not control.unknown["aws_cloudtrail.t"] with input as inp
}

test_reference_to_managed_resource_passes if {
	inp := _trail({}, {"kms_key_id": true}, {"kms_key_id": {"references": ["aws_kms_key.x.arn", "aws_kms_key.x"]}})
	not control.fail["aws_cloudtrail.t"] with input as inp
	not control.unknown["aws_cloudtrail.t"] with input as inp
}

test_unset_fails if {
	inp := _trail({"kms_key_id": null}, {}, {})
	control.fail["aws_cloudtrail.t"] == {"kms_key_id = (not set)"} with input as inp
}

test_empty_string_fails if {
	inp := _trail({"kms_key_id": ""}, {}, {})
	control.fail["aws_cloudtrail.t"] with input as inp
}

test_unknown_from_elsewhere_is_unknown if {
	inp := _trail({}, {"kms_key_id": true}, {"kms_key_id": {"references": ["data.aws_ssm_parameter.p.value", "data.aws_ssm_parameter.p"]}})
	control.unknown["aws_cloudtrail.t"] with input as inp
	not control.fail["aws_cloudtrail.t"] with input as inp
}
