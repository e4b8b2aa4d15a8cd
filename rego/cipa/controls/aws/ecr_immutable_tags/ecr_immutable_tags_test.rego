package cipa.controls.aws.ecr_immutable_tags_test

import data.cipa.controls.aws.ecr_immutable_tags as control

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
	_status(_plan("aws_ecr_repository", {"image_tag_mutability": "IMMUTABLE"}, {}, {"image_tag_mutability": _c("IMMUTABLE")}), "aws_ecr_repository.a") == "pass"
	_status(_plan("aws_ecr_repository", {"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION"}, {}, {"image_tag_mutability": _c("IMMUTABLE_WITH_EXCLUSION")}), "aws_ecr_repository.a") == "pass"
	_status(_plan("aws_ecr_repository", {"image_tag_mutability": "MUTABLE"}, {}, {"image_tag_mutability": _c("MUTABLE")}), "aws_ecr_repository.a") == "fail"
	_status(_plan("aws_ecr_repository", {}, {}, {}), "aws_ecr_repository.a") == "fail"
	_status(_plan("aws_ecr_repository", {}, {"image_tag_mutability": true}, {"image_tag_mutability": _var}), "aws_ecr_repository.a") == "unknown"
}

test_messages if {
	control.fail["aws_ecr_repository.a"] == {"image_tag_mutability is not set (provider default MUTABLE)"} with input as _plan("aws_ecr_repository", {"image_tag_mutability": "MUTABLE"}, {}, {})
	control.fail["aws_ecr_repository.a"] == {"image_tag_mutability = \"MUTABLE\""} with input as _plan("aws_ecr_repository", {"image_tag_mutability": "MUTABLE"}, {}, {"image_tag_mutability": _c("MUTABLE")})
}
