# METADATA
# title: EBS volumes are encrypted
# description: |
#   Every aws_ebs_volume is encrypted at rest. `encrypted` left out of the configuration takes the provider default,
#   false, even though the plan shows it as known only after apply: the volume fails. The exceptions the plan can
#   show are honoured: an aws_ebs_encryption_by_default with enabled = true in the same plan encrypts every new
#   volume, and a volume restored from a snapshot without `encrypted` inherits the snapshot's encryption, which
#   the plan cannot show (undecided). `encrypted` set from an expression known only after apply is undecided.
# custom:
#   id: CIPA-AWS-EC2-01
#   severity: high
#   frameworks:
#     cis-aws-1.4: ["2.2.1"]
#   aliases: [CKV_AWS_3, CKV_AWS_106, AVD-AWS-0026]
#   resource_types: [aws_ebs_volume]
#   remediation: |
#     Encrypt the volume, or turn on EBS encryption by default for the account and region:
#
#       resource "aws_ebs_volume" "data" {
#         availability_zone = "eu-west-1a"
#         size              = 100
#         encrypted         = true
#         kms_key_id        = aws_kms_key.ebs.arn
#       }
#
#       resource "aws_ebs_encryption_by_default" "this" {
#         enabled = true
#       }
package cipa.controls.aws.ebs_volume_encrypted

import data.cipa.lib.network
import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_ebs_volume", set())

fail[address] contains message if {
	some address in scope
	not account_default_encryption
	volume := tfplan.resources[address]
	network.setting(volume, ["encrypted"], false) == false
	not _from_snapshot(volume)
	message := _message(volume)
}

unknown[address] contains "encrypted is set from a value known only after apply" if {
	some address in scope
	not account_default_encryption
	network.undecided(tfplan.resources[address], ["encrypted"])
}

unknown[address] contains concat("", [
	"encrypted is not set and the volume is restored from snapshot_id = ", tfplan.shown(volume, ["snapshot_id"]),
	": it is encrypted only if the snapshot is",
]) if {
	some address in scope
	not account_default_encryption
	volume := tfplan.resources[address]
	network.setting(volume, ["encrypted"], false) == false
	_from_snapshot(volume)
}

# EBS encryption by default, turned on in the same plan, encrypts every new volume whatever `encrypted` says.
account_default_encryption if network.ebs_encryption_by_default

_from_snapshot(volume) if {
	not network.configured_at(volume, ["encrypted"])
	network.configured_at(volume, ["snapshot_id"])
}

_message(volume) := "encrypted is not set and defaults to false (unless EBS encryption by default is on for the account, which the plan does not show)" if {
	not network.configured_at(volume, ["encrypted"])
	tfplan.value(volume, ["encrypted"]) == null
} else := concat("", ["encrypted = ", tfplan.shown(volume, ["encrypted"])])
