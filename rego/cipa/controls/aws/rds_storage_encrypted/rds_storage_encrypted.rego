# METADATA
# title: RDS, Aurora, Neptune and DocumentDB storage is encrypted
# description: |
#   DB instances and clusters (aws_db_instance, aws_rds_cluster, aws_neptune_cluster, aws_docdb_cluster) set
#   storage_encrypted = true. Left unset it takes the provider default, false (true only for Aurora Serverless v1
#   clusters, engine_mode = "serverless"), and fails.
#   Read replicas (replicate_source_db, replication_source_identifier) inherit encryption from their source: a
#   replica follows the source's decision when the source is in the plan, passes when it names its own KMS key (a
#   cross-region replica), and is undecided when its source is outside the plan. An instance or cluster restored
#   from a snapshot (snapshot_identifier) inherits the snapshot's encryption and is undecided unless it sets
#   storage_encrypted = true. A value only known after apply leaves the resource undecided.
# custom:
#   id: CIPA-AWS-RDS-01
#   severity: high
#   frameworks:
#     cis-aws-1.4: ["2.3.1"]
#   aliases: [CKV_AWS_16, CKV_AWS_96, CKV_AWS_74, CKV_AWS_44, AVD-AWS-0080, AVD-AWS-0079]
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_neptune_cluster, aws_docdb_cluster]
#   remediation: |
#     Encrypt the storage when the database is created (it cannot be turned on later without a snapshot copy):
#
#       resource "aws_db_instance" "this" {
#         # ...
#         storage_encrypted = true
#         kms_key_id        = aws_kms_key.rds.arn
#       }
package cipa.controls.aws.rds_storage_encrypted

import data.cipa.lib.tfplan

types := {"aws_db_instance", "aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster"}

# The attribute naming the source of a read replica, by type.
replica_attribute := {
	"aws_db_instance": "replicate_source_db",
	"aws_rds_cluster": "replication_source_identifier",
	"aws_neptune_cluster": "replication_source_identifier",
}

scope contains address if {
	some type in types
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains message if {
	some address in scope
	not _replica(tfplan.resources[address])
	_own[address] == "fail"
	message := _unencrypted_message(tfplan.resources[address])
}

fail[address] contains concat("", ["read replica of ", source, ", whose storage is not encrypted"]) if {
	some address in scope
	resource := tfplan.resources[address]
	_replica(resource)
	not _encrypted_itself(resource)
	some source in _sources(resource)
	_own[source] == "fail"
}

unknown[address] contains message if {
	some address in scope
	not _replica(tfplan.resources[address])
	_own[address] == "unknown"
	message := _unknown_message(tfplan.resources[address])
}

unknown[address] contains concat("", ["read replica of ", source, ", whose encryption is undecided"]) if {
	some address in scope
	resource := tfplan.resources[address]
	_replica(resource)
	not _encrypted_itself(resource)
	some source in _sources(resource)
	_own[source] == "unknown"
}

unknown[address] contains concat("", [
	"read replica inherits encryption from ", attribute, " = ", tfplan.shown(resource, [attribute]),
	", which is not in the plan",
]) if {
	some address in scope
	resource := tfplan.resources[address]
	_replica(resource)
	not _encrypted_itself(resource)
	count(_sources(resource)) == 0
	attribute := replica_attribute[resource.type]
}

# Status of a resource judged by its own attributes: "pass", "fail" or "unknown".
_own[address] := status if {
	some address in scope
	status := _own_status(tfplan.resources[address])
}

_own_status(resource) := "pass" if {
	_encrypted_itself(resource)
} else := "unknown" if {
	not _decided(resource)
} else := "unknown" if {
	_from_snapshot(resource)
} else := "fail"

_encrypted_itself(resource) if tfplan.effective(resource, "storage_encrypted", _default(resource)) == true

# A cross-region replica names its own key: the replica is encrypted with it.
_encrypted_itself(resource) if {
	_replica(resource)
	_set(resource, "kms_key_id")
}

_decided(resource) if tfplan.effective(resource, "storage_encrypted", _default(resource)) != null

_default(resource) if {
	resource.type == "aws_rds_cluster"
	tfplan.value(resource, ["engine_mode"]) == "serverless"
} else := false

_replica(resource) if _set(resource, replica_attribute[resource.type])

_from_snapshot(resource) if _set(resource, "snapshot_identifier")

# Set to a non-empty value, or set in configuration to a value only known after apply.
_set(resource, attribute) if {
	v := tfplan.value(resource, [attribute])
	v != null
	v != ""
}

_set(resource, attribute) if {
	tfplan.is_configured(resource, attribute)
	tfplan.is_unknown(resource, [attribute])
}

# Sources of a replica found in the plan: through the configuration reference of the replica attribute, or by
# a known identifier or ARN.
_sources(resource) := {source |
	attribute := replica_attribute[resource.type]
	block := object.get(tfplan.config_resources, resource.config_key, null)
	block != null
	module := tfplan.module_of_key(resource.config_key, block)
	keys := {key |
		some ref in tfplan.expression_references(object.get(block, ["expressions", attribute], {}))
		some key in tfplan.resolve_reference(module, ref)
	}
	some source in object.get(tfplan.links, resource.address, set())
	tfplan.resources[source].config_key in keys
	source in scope
} | {source |
	attribute := replica_attribute[resource.type]
	v := tfplan.value(resource, [attribute])
	is_string(v)
	some source in object.get(_identified_by, v, set())
	source != resource.address
}

# Databases in scope by their known identifier, cluster identifier, ARN or id, built once.
_identified_by[v] contains address if {
	some address in scope
	some key in ["identifier", "cluster_identifier", "arn", "id"]
	v := tfplan.resources[address].values[key]
	is_string(v)
	v != ""
}

_unencrypted_message(resource) := concat("", ["storage_encrypted = ", tfplan.shown(resource, ["storage_encrypted"])]) if {
	tfplan.is_configured(resource, "storage_encrypted")
} else := "storage_encrypted is not set (provider default false), although kms_key_id is set" if {
	tfplan.is_configured(resource, "kms_key_id")
} else := "storage_encrypted is not set (provider default false)"

_unknown_message(resource) := "storage_encrypted is only known after apply" if {
	not _decided(resource)
} else := concat("", [
	"restored from snapshot_identifier = ", tfplan.shown(resource, ["snapshot_identifier"]),
	": encryption follows the snapshot unless storage_encrypted = true",
])
