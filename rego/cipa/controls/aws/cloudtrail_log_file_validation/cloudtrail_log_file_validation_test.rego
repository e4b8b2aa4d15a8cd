package cipa.controls.aws.cloudtrail_log_file_validation_test

import data.cipa.controls.aws.cloudtrail_log_file_validation as control

_trail(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_cloudtrail.t",
		"mode": "managed",
		"type": "aws_cloudtrail",
		"name": "t",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_cloudtrail.t",
		"mode": "managed",
		"type": "aws_cloudtrail",
		"name": "t",
		"expressions": expressions,
	}]}},
}

test_enabled_passes if {
	inp := _trail({"enable_log_file_validation": true}, {}, {"enable_log_file_validation": {"constant_value": true}})
	control.scope["aws_cloudtrail.t"] with input as inp
	not control.fail["aws_cloudtrail.t"] with input as inp
	not control.unknown["aws_cloudtrail.t"] with input as inp
}

test_disabled_fails if {
	inp := _trail({"enable_log_file_validation": false}, {}, {"enable_log_file_validation": {"constant_value": false}})
	control.fail["aws_cloudtrail.t"] == {"enable_log_file_validation = false (default false)"} with input as inp
}

test_default_fails if {
	inp := _trail({"enable_log_file_validation": false}, {}, {})
	control.fail["aws_cloudtrail.t"] with input as inp
}

test_absent_from_plan_takes_default if {
	inp := _trail({}, {}, {})
	control.fail["aws_cloudtrail.t"] == {"enable_log_file_validation = (not set) (default false)"} with input as inp
}

test_unknown_is_unknown if {
	inp := _trail({}, {"enable_log_file_validation": true}, {"enable_log_file_validation": {"references": ["data.aws_ssm_parameter.p.value", "data.aws_ssm_parameter.p"]}})
	control.unknown["aws_cloudtrail.t"] with input as inp
	not control.fail["aws_cloudtrail.t"] with input as inp
}
