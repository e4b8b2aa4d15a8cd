# METADATA
# title: RDS, Aurora, Neptune and DocumentDB keep automated backups for at least 7 days
# description: |
#   DB instances and clusters (aws_db_instance, aws_rds_cluster, aws_neptune_cluster, aws_docdb_cluster) set
#   backup_retention_period to 7 days or more. 0 turns automated backups off. Left unset it takes the AWS default,
#   1 day, and fails. Read replicas (aws_db_instance with replicate_source_db) are out of scope: their source's
#   backups protect the data. A value only known after apply leaves the resource undecided.
# custom:
#   id: CIPA-AWS-RDS-03
#   severity: medium
#   aliases: [CKV_AWS_133, AVD-AWS-0077]
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_neptune_cluster, aws_docdb_cluster]
#   remediation: |
#     Keep automated backups for at least a week (up to 35 days):
#
#       resource "aws_db_instance" "this" {
#         # ...
#         backup_retention_period = 7
#       }
package cipa.controls.aws.rds_backup_retention

import data.cipa.lib.tfplan

types := {"aws_db_instance", "aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster"}

minimum_days := 7

# AWS's retention when the attribute is left unset.
default_days := 1

scope contains address if {
	some type in types
	some address in object.get(tfplan.by_type, type, set())
	not _replica(tfplan.resources[address])
}

fail[address] contains message if {
	some address in scope
	resource := tfplan.resources[address]
	days := _days(resource)
	days < minimum_days
	message := _message(resource, days)
}

unknown[address] contains "backup_retention_period is only known after apply" if {
	some address in scope
	not _days(tfplan.resources[address])
}

_days(resource) := to_number(tfplan.effective(resource, "backup_retention_period", default_days))

_replica(resource) if {
	resource.type == "aws_db_instance"
	tfplan.value(resource, ["replicate_source_db"]) != null
}

_replica(resource) if {
	resource.type == "aws_db_instance"
	tfplan.is_configured(resource, "replicate_source_db")
	tfplan.is_unknown(resource, ["replicate_source_db"])
}

_message(resource, _) := concat("", ["backup_retention_period is not set (default ", format_int(default_days, 10), " day)"]) if {
	not tfplan.is_configured(resource, "backup_retention_period")
} else := "backup_retention_period = 0 turns automated backups off" if {
	_days(resource) == 0
} else := concat("", [
	"backup_retention_period = ", tfplan.shown(resource, ["backup_retention_period"]),
	" (less than ", format_int(minimum_days, 10), " days)",
])
