package cipa.controls.aws.rds_backup_retention_test

import data.cipa.controls.aws.rds_backup_retention as control

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
	_status(_plan("aws_db_instance", {"backup_retention_period": 7}, {}, {"backup_retention_period": {"constant_value": 7}}), "aws_db_instance.a") == "pass"
	_status(_plan("aws_rds_cluster", {"backup_retention_period": 35}, {}, {"backup_retention_period": {"constant_value": 35}}), "aws_rds_cluster.a") == "pass"
	_status(_plan("aws_db_instance", {"backup_retention_period": 6}, {}, {"backup_retention_period": {"constant_value": 6}}), "aws_db_instance.a") == "fail"
	_status(_plan("aws_neptune_cluster", {"backup_retention_period": 1}, {}, {}), "aws_neptune_cluster.a") == "fail"
	_status(_plan("aws_docdb_cluster", {}, {"backup_retention_period": true}, {}), "aws_docdb_cluster.a") == "fail"
	_status(_plan("aws_db_instance", {}, {"backup_retention_period": true}, {"backup_retention_period": {"references": ["var.days"]}}), "aws_db_instance.a") == "unknown"
	_status(_plan("aws_db_instance", {"replicate_source_db": "src", "backup_retention_period": 0}, {}, {"replicate_source_db": {"constant_value": "src"}}), "aws_db_instance.a") == "out of scope"
}

test_messages if {
	control.fail["aws_db_instance.a"] == {"backup_retention_period = 0 turns automated backups off"} with input as _plan("aws_db_instance", {"backup_retention_period": 0}, {}, {"backup_retention_period": {"constant_value": 0}})
	control.fail["aws_db_instance.a"] == {"backup_retention_period = 3 (less than 7 days)"} with input as _plan("aws_db_instance", {"backup_retention_period": 3}, {}, {"backup_retention_period": {"constant_value": 3}})
	control.fail["aws_db_instance.a"] == {"backup_retention_period is not set (default 1 day)"} with input as _plan("aws_db_instance", {}, {"backup_retention_period": true}, {})
}
