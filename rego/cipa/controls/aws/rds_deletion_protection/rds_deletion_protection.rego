# METADATA
# title: RDS, Aurora, Neptune and DocumentDB have deletion protection
# description: |
#   DB instances and clusters (aws_db_instance, aws_rds_cluster, aws_neptune_cluster, aws_docdb_cluster) set
#   deletion_protection = true, so that neither a console click nor a terraform destroy deletes the database. Left
#   unset it takes the provider default, false. A value only known after apply leaves the resource undecided.
# custom:
#   id: CIPA-AWS-RDS-04
#   severity: low
#   aliases: [CKV_AWS_293, CKV_AWS_139, AVD-AWS-0177]
#   resource_types: [aws_db_instance, aws_rds_cluster, aws_neptune_cluster, aws_docdb_cluster]
#   remediation: |
#     Turn deletion protection on (turn it off in a separate change before a planned deletion):
#
#       resource "aws_rds_cluster" "this" {
#         # ...
#         deletion_protection = true
#       }
package cipa.controls.aws.rds_deletion_protection

import data.cipa.lib.tfplan

types := {"aws_db_instance", "aws_rds_cluster", "aws_neptune_cluster", "aws_docdb_cluster"}

scope contains address if {
	some type in types
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains _message(resource) if {
	some address in scope
	resource := tfplan.resources[address]
	tfplan.effective(resource, "deletion_protection", false) == false
}

unknown[address] contains "deletion_protection is only known after apply" if {
	some address in scope
	not _decided(tfplan.resources[address])
}

_decided(resource) if tfplan.effective(resource, "deletion_protection", false) != null

_message(resource) := concat("", ["deletion_protection = ", tfplan.shown(resource, ["deletion_protection"])]) if {
	tfplan.is_configured(resource, "deletion_protection")
} else := "deletion_protection is not set (provider default false)"
