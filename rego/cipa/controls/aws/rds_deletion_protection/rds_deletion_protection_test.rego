package cipa.controls.aws.rds_deletion_protection_test

import data.cipa.controls.aws.rds_deletion_protection as control

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
	_status(_plan("aws_db_instance", {"deletion_protection": true}, {}, {"deletion_protection": {"constant_value": true}}), "aws_db_instance.a") == "pass"
	_status(_plan("aws_docdb_cluster", {"deletion_protection": false}, {}, {"deletion_protection": {"constant_value": false}}), "aws_docdb_cluster.a") == "fail"
	_status(_plan("aws_rds_cluster", {"deletion_protection": null}, {}, {}), "aws_rds_cluster.a") == "fail"
	_status(_plan("aws_neptune_cluster", {}, {"deletion_protection": true}, {"deletion_protection": {"references": ["var.protect"]}}), "aws_neptune_cluster.a") == "unknown"
	_status(_plan("aws_rds_cluster_instance", {}, {}, {}), "aws_rds_cluster_instance.a") == "out of scope"
}

test_messages if {
	control.fail["aws_rds_cluster.a"] == {"deletion_protection is not set (provider default false)"} with input as _plan("aws_rds_cluster", {}, {}, {})
	control.fail["aws_rds_cluster.a"] == {"deletion_protection = false"} with input as _plan("aws_rds_cluster", {"deletion_protection": false}, {}, {"deletion_protection": {"constant_value": false}})
}
