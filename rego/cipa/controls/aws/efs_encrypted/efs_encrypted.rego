# METADATA
# title: EFS file systems are encrypted at rest
# description: |
#   Every aws_efs_file_system sets encrypted = true. Left unset it takes the provider default, false. A value only
#   known after apply leaves the file system undecided.
# custom:
#   id: CIPA-AWS-EFS-01
#   severity: high
#   aliases: [CKV_AWS_42, AVD-AWS-0037]
#   resource_types: [aws_efs_file_system]
#   remediation: |
#     Encrypt the file system when it is created (it cannot be encrypted later):
#
#       resource "aws_efs_file_system" "this" {
#         encrypted  = true
#         kms_key_id = aws_kms_key.efs.arn
#       }
package cipa.controls.aws.efs_encrypted

import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_efs_file_system", set())

fail[address] contains _message(resource) if {
	some address in scope
	resource := tfplan.resources[address]
	tfplan.effective(resource, "encrypted", false) == false
}

unknown[address] contains "encrypted is only known after apply" if {
	some address in scope
	not _decided(tfplan.resources[address])
}

_decided(resource) if tfplan.effective(resource, "encrypted", false) != null

_message(resource) := concat("", ["encrypted = ", tfplan.shown(resource, ["encrypted"])]) if {
	tfplan.is_configured(resource, "encrypted")
} else := "encrypted is not set (provider default false)"
