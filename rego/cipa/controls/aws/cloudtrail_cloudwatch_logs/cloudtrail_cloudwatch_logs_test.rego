package cipa.controls.aws.cloudtrail_cloudwatch_logs_test

import data.cipa.controls.aws.cloudtrail_cloudwatch_logs as control

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
			"address": "aws_cloudwatch_log_group.x",
			"mode": "managed",
			"type": "aws_cloudwatch_log_group",
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
	inp := _trail({"cloud_watch_logs_group_arn": "arn:aws:example"}, {}, {"cloud_watch_logs_group_arn": {"constant_value": "arn:aws:example"}})
	control.scope["aws_cloudtrail.t"] with input as inp
	not control.fail["aws_cloudtrail.t"] with input as inp
	not control.unknown["aws_cloudtrail.t"] with input as inp
}

test_reference_to_managed_resource_passes if {
	inp := _trail({}, {"cloud_watch_logs_group_arn": true}, {"cloud_watch_logs_group_arn": {"references": ["aws_cloudwatch_log_group.x.arn", "aws_cloudwatch_log_group.x"]}})
	not control.fail["aws_cloudtrail.t"] with input as inp
	not control.unknown["aws_cloudtrail.t"] with input as inp
}

test_unset_fails if {
	inp := _trail({"cloud_watch_logs_group_arn": null}, {}, {})
	control.fail["aws_cloudtrail.t"] == {"cloud_watch_logs_group_arn = (not set)"} with input as inp
}

test_empty_string_fails if {
	inp := _trail({"cloud_watch_logs_group_arn": ""}, {}, {})
	control.fail["aws_cloudtrail.t"] with input as inp
}

test_unknown_from_elsewhere_is_unknown if {
	inp := _trail({}, {"cloud_watch_logs_group_arn": true}, {"cloud_watch_logs_group_arn": {"references": ["data.aws_ssm_parameter.p.value", "data.aws_ssm_parameter.p"]}})
	control.unknown["aws_cloudtrail.t"] with input as inp
	not control.fail["aws_cloudtrail.t"] with input as inp
}
