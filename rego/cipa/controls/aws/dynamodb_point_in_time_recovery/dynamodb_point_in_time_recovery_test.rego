package cipa.controls.aws.dynamodb_point_in_time_recovery_test

import data.cipa.controls.aws.dynamodb_point_in_time_recovery as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_plan(type, after, unknown, expressions) := {
	"resource_changes": [_rc(type, "a", after, unknown)],
	"configuration": {"root_module": {"resources": [_cfg(type, "a", expressions)]}},
}

_status(plan, address) := "fail" if {
	control.fail[address] with input as plan
} else := "unknown" if {
	control.unknown[address] with input as plan
} else := "pass" if {
	control.scope[address] with input as plan
} else := "out of scope"

_c(v) := {"constant_value": v}

_var := {"references": ["var.x"]}

test_decisions if {
	_status(_plan("aws_dynamodb_table", {"point_in_time_recovery": [{"enabled": true}]}, {}, {"point_in_time_recovery": [{"enabled": _c(true)}]}), "aws_dynamodb_table.a") == "pass"
	_status(_plan("aws_dynamodb_table", {"point_in_time_recovery": [{"enabled": false}]}, {}, {"point_in_time_recovery": [{"enabled": _c(false)}]}), "aws_dynamodb_table.a") == "fail"
	_status(_plan("aws_dynamodb_table", {}, {"point_in_time_recovery": true}, {}), "aws_dynamodb_table.a") == "fail"
	_status(_plan("aws_dynamodb_table", {"point_in_time_recovery": [{}]}, {"point_in_time_recovery": [{"enabled": true}]}, {"point_in_time_recovery": [{"enabled": _var}]}), "aws_dynamodb_table.a") == "unknown"
}

test_plan_without_configuration_reads_values if {
	plan := {"resource_changes": [_rc("aws_dynamodb_table", "a", {"point_in_time_recovery": [{"enabled": true}]}, {})]}
	_status(plan, "aws_dynamodb_table.a") == "pass"
}

test_messages if {
	control.fail["aws_dynamodb_table.a"] == {"point_in_time_recovery is not set (off by default)"} with input as _plan("aws_dynamodb_table", {}, {"point_in_time_recovery": true}, {})
	control.fail["aws_dynamodb_table.a"] == {"point_in_time_recovery.enabled = false"} with input as _plan("aws_dynamodb_table", {"point_in_time_recovery": [{"enabled": false}]}, {}, {"point_in_time_recovery": [{"enabled": _c(false)}]})
}
