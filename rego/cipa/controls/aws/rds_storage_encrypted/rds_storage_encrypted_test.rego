package cipa.controls.aws.rds_storage_encrypted_test

import data.cipa.controls.aws.rds_storage_encrypted as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

test_unset_takes_provider_default_false if {
	plan := {"resource_changes": [_rc("aws_db_instance", "a", {"storage_encrypted": null}, {})], "configuration": {"root_module": {"resources": [_cfg("aws_db_instance", "a", {})]}}}
	control.fail["aws_db_instance.a"] == {"storage_encrypted is not set (provider default false)"} with input as plan
}

test_explicit_false_fails_and_true_passes if {
	plan := {"resource_changes": [
		_rc("aws_db_instance", "a", {"storage_encrypted": false}, {}),
		_rc("aws_rds_cluster", "b", {"storage_encrypted": true}, {}),
	]}
	control.fail["aws_db_instance.a"] == {"storage_encrypted = false"} with input as plan
	control.scope == {"aws_db_instance.a", "aws_rds_cluster.b"} with input as plan
	not control.fail["aws_rds_cluster.b"] with input as plan
	count(control.unknown) == 0 with input as plan
}

test_configured_but_unknown_is_unknown if {
	plan := {
		"resource_changes": [_rc("aws_docdb_cluster", "a", {}, {"storage_encrypted": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_docdb_cluster", "a", {"storage_encrypted": {"references": ["var.encrypted"]}})]}},
	}
	control.unknown["aws_docdb_cluster.a"] == {"storage_encrypted is only known after apply"} with input as plan
	not control.fail["aws_docdb_cluster.a"] with input as plan
}

test_computed_but_unset_uses_default if {
	# the provider marks storage_encrypted computed; the configuration does not set it
	plan := {
		"resource_changes": [_rc("aws_neptune_cluster", "a", {}, {"storage_encrypted": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_neptune_cluster", "a", {})]}},
	}
	control.fail["aws_neptune_cluster.a"] with input as plan
}

test_aurora_serverless_v1_defaults_to_encrypted if {
	plan := {
		"resource_changes": [_rc("aws_rds_cluster", "a", {"engine_mode": "serverless"}, {"storage_encrypted": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_rds_cluster", "a", {"engine_mode": {"constant_value": "serverless"}})]}},
	}
	not control.fail["aws_rds_cluster.a"] with input as plan
	not control.unknown["aws_rds_cluster.a"] with input as plan
}

replica_plan(source_encrypted) := {
	"resource_changes": [
		_rc("aws_db_instance", "src", {"identifier": "src", "storage_encrypted": source_encrypted}, {}),
		_rc("aws_db_instance", "replica", {"storage_encrypted": false}, {"replicate_source_db": true}),
	],
	"configuration": {"root_module": {"resources": [
		_cfg("aws_db_instance", "src", {"storage_encrypted": {"constant_value": source_encrypted}}),
		_cfg("aws_db_instance", "replica", {"replicate_source_db": {"references": ["aws_db_instance.src.identifier", "aws_db_instance.src"]}}),
	]}},
}

test_replica_inherits_from_encrypted_source if {
	not control.fail["aws_db_instance.replica"] with input as replica_plan(true)
	not control.unknown["aws_db_instance.replica"] with input as replica_plan(true)
}

test_replica_inherits_from_unencrypted_source if {
	control.fail["aws_db_instance.replica"] == {"read replica of aws_db_instance.src, whose storage is not encrypted"} with input as replica_plan(false)
	control.fail["aws_db_instance.src"] with input as replica_plan(false)
}

test_replica_of_source_outside_plan_is_unknown if {
	plan := {"resource_changes": [_rc("aws_db_instance", "replica", {"replicate_source_db": "legacy", "storage_encrypted": false}, {})]}
	control.unknown["aws_db_instance.replica"] with input as plan
	not control.fail["aws_db_instance.replica"] with input as plan
}

test_cross_region_replica_with_own_key_passes if {
	plan := {"resource_changes": [_rc("aws_db_instance", "replica", {"replicate_source_db": "arn:aws:rds:us-east-1:1:db:x", "kms_key_id": "arn:aws:kms:eu-west-1:1:key/k"}, {})]}
	not control.fail["aws_db_instance.replica"] with input as plan
	not control.unknown["aws_db_instance.replica"] with input as plan
}

test_restored_from_snapshot_is_unknown_unless_encrypted if {
	plan := {"resource_changes": [
		_rc("aws_rds_cluster", "a", {"snapshot_identifier": "snap"}, {}),
		_rc("aws_rds_cluster", "b", {"snapshot_identifier": "snap", "storage_encrypted": true}, {}),
	]}
	control.unknown["aws_rds_cluster.a"] with input as plan
	not control.fail["aws_rds_cluster.a"] with input as plan
	not control.unknown["aws_rds_cluster.b"] with input as plan
}

test_deleted_and_other_types_out_of_scope if {
	plan := {"resource_changes": [
		object.union(_rc("aws_db_instance", "gone", {}, {}), {"change": {"actions": ["delete"], "after": null}}),
		_rc("aws_rds_cluster_instance", "member", {}, {}),
	]}
	count(control.scope) == 0 with input as plan
}
