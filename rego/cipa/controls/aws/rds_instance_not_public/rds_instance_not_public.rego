# METADATA
# title: RDS DB instances are not publicly accessible
# description: |
#   DB instances (aws_db_instance, and Aurora/Neptune/DocumentDB cluster members aws_rds_cluster_instance) keep
#   publicly_accessible off, so that they get no public DNS name and address. Left unset it takes the provider
#   default, false. A value only known after apply leaves the instance undecided.
# custom:
#   id: CIPA-AWS-RDS-02
#   severity: critical
#   frameworks:
#     cis-aws-1.5: ["2.3.3"]
#   aliases: [CKV_AWS_17, AVD-AWS-0180]
#   resource_types: [aws_db_instance, aws_rds_cluster_instance]
#   remediation: |
#     Keep the instance private and reach it through the VPC (a bastion, VPN or RDS Proxy):
#
#       resource "aws_db_instance" "this" {
#         # ...
#         publicly_accessible = false
#       }
package cipa.controls.aws.rds_instance_not_public

import data.cipa.lib.tfplan

types := {"aws_db_instance", "aws_rds_cluster_instance"}

scope contains address if {
	some type in types
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains concat("", ["publicly_accessible = ", tfplan.shown(resource, ["publicly_accessible"])]) if {
	some address in scope
	resource := tfplan.resources[address]
	tfplan.effective(resource, "publicly_accessible", false) == true
}

unknown[address] contains "publicly_accessible is only known after apply" if {
	some address in scope
	resource := tfplan.resources[address]
	not _decided(resource)
}

_decided(resource) if tfplan.effective(resource, "publicly_accessible", false) != null
