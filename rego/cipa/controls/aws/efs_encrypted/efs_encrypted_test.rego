package cipa.controls.aws.efs_encrypted_test

import data.cipa.controls.aws.efs_encrypted as control

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
	_status(_plan("aws_efs_file_system", {"encrypted": true}, {}, {"encrypted": _c(true)}), "aws_efs_file_system.a") == "pass"
	_status(_plan("aws_efs_file_system", {"encrypted": false}, {}, {"encrypted": _c(false)}), "aws_efs_file_system.a") == "fail"
	_status(_plan("aws_efs_file_system", {}, {"encrypted": true}, {}), "aws_efs_file_system.a") == "fail"
	_status(_plan("aws_efs_file_system", {}, {"encrypted": true}, {"encrypted": _var}), "aws_efs_file_system.a") == "unknown"
}

test_messages if {
	control.fail["aws_efs_file_system.a"] == {"encrypted is not set (provider default false)"} with input as _plan("aws_efs_file_system", {}, {"encrypted": true}, {})
	control.fail["aws_efs_file_system.a"] == {"encrypted = false"} with input as _plan("aws_efs_file_system", {"encrypted": false}, {}, {"encrypted": _c(false)})
}
