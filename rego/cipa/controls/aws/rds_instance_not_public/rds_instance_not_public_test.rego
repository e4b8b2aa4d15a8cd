package cipa.controls.aws.rds_instance_not_public_test

import data.cipa.controls.aws.rds_instance_not_public as control

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

test_decisions if {
	_status(_plan("aws_db_instance", {"publicly_accessible": true}, {}, {"publicly_accessible": {"constant_value": true}}), "aws_db_instance.a") == "fail"
	_status(_plan("aws_rds_cluster_instance", {"publicly_accessible": true}, {}, {"publicly_accessible": {"constant_value": true}}), "aws_rds_cluster_instance.a") == "fail"
	_status(_plan("aws_db_instance", {"publicly_accessible": false}, {}, {"publicly_accessible": {"constant_value": false}}), "aws_db_instance.a") == "pass"
	_status(_plan("aws_db_instance", {}, {"publicly_accessible": true}, {}), "aws_db_instance.a") == "pass"
	_status(_plan("aws_db_instance", {}, {"publicly_accessible": true}, {"publicly_accessible": {"references": ["var.public"]}}), "aws_db_instance.a") == "unknown"
	_status(_plan("aws_rds_cluster", {}, {}, {}), "aws_rds_cluster.a") == "out of scope"
}

test_message if {
	control.fail["aws_db_instance.a"] == {"publicly_accessible = true"} with input as _plan("aws_db_instance", {"publicly_accessible": true}, {}, {"publicly_accessible": {"constant_value": true}})
}
