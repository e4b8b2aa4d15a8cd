package cipa.controls.aws.ecr_scan_on_push_test

import data.cipa.controls.aws.ecr_scan_on_push as control

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
	_status(_plan("aws_ecr_repository", {"image_scanning_configuration": [{"scan_on_push": true}]}, {}, {"image_scanning_configuration": [{"scan_on_push": _c(true)}]}), "aws_ecr_repository.a") == "pass"
	_status(_plan("aws_ecr_repository", {"image_scanning_configuration": [{"scan_on_push": false}]}, {}, {"image_scanning_configuration": [{"scan_on_push": _c(false)}]}), "aws_ecr_repository.a") == "fail"
	_status(_plan("aws_ecr_repository", {"image_scanning_configuration": []}, {}, {}), "aws_ecr_repository.a") == "fail"
	_status(_plan("aws_ecr_repository", {"image_scanning_configuration": [{}]}, {"image_scanning_configuration": [{"scan_on_push": true}]}, {"image_scanning_configuration": [{"scan_on_push": _var}]}), "aws_ecr_repository.a") == "unknown"
}

_registry(after) := _rc("aws_ecr_registry_scanning_configuration", "r", after, {})

_with_registry(name, registry) := {"resource_changes": [_rc("aws_ecr_repository", "a", {"name": name, "image_scanning_configuration": []}, {}), _registry(registry)]}

_rule(frequency, filter) := {"rule": [{"scan_frequency": frequency, "repository_filter": [{"filter": filter, "filter_type": "WILDCARD"}]}]}

test_registry_scanning if {
	_status(_with_registry("app", {"scan_type": "ENHANCED"}), "aws_ecr_repository.a") == "pass"
	_status(_with_registry("app", _rule("SCAN_ON_PUSH", "*")), "aws_ecr_repository.a") == "pass"
	_status(_with_registry("app-web", _rule("CONTINUOUS_SCAN", "app-*")), "aws_ecr_repository.a") == "pass"
	_status(_with_registry("tools", _rule("SCAN_ON_PUSH", "app-*")), "aws_ecr_repository.a") == "fail"
	_status(_with_registry("app", _rule("MANUAL", "*")), "aws_ecr_repository.a") == "fail"
}
