# METADATA
# title: SQS queues and SNS topics declare encryption at rest
# description: |
#   Every aws_sqs_queue declares server-side encryption, with SQS-managed keys (sqs_managed_sse_enabled = true,
#   SSE-SQS) or a KMS key (kms_master_key_id); both count, SSE-SQS being as much encryption at rest as an AWS
#   managed KMS key, without the key policy. Every aws_sns_topic sets kms_master_key_id (SNS has no service-managed
#   alternative). A KMS key id only known after apply counts as set: it names a key created in the same plan.
#
#   Since October 2022 AWS encrypts new queues created without an encryption setting with SSE-SQS. Like
#   CIPA-AWS-S3-02 this control still asks for the setting to be declared in the configuration (a queue whose
#   sqs_managed_sse_enabled is left unset fails), so that the code says how the queue is encrypted and existing
#   queues created before the change, which stay unencrypted, are not mistaken for new ones. A setting only known
#   after apply leaves the resource undecided.
# custom:
#   id: CIPA-AWS-MSG-01
#   severity: medium
#   aliases: [CKV_AWS_27, CKV_AWS_26, AVD-AWS-0096, AVD-AWS-0095]
#   resource_types: [aws_sqs_queue, aws_sns_topic]
#   remediation: |
#     Declare the encryption of queues and topics:
#
#       resource "aws_sqs_queue" "this" {
#         name                    = "jobs"
#         sqs_managed_sse_enabled = true # or kms_master_key_id = aws_kms_key.messaging.id
#       }
#
#       resource "aws_sns_topic" "this" {
#         name              = "events"
#         kms_master_key_id = aws_kms_key.messaging.id # or "alias/aws/sns"
#       }
package cipa.controls.aws.sqs_sns_encrypted

import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_sqs_queue", set())

scope contains address if some address in object.get(tfplan.by_type, "aws_sns_topic", set())

fail[address] contains message if {
	some address in scope
	resource := tfplan.resources[address]
	not _encrypted(resource)
	not _undecided(resource)
	message := _message(resource)
}

unknown[address] contains concat("", [attribute, " is only known after apply"]) if {
	some address in scope
	resource := tfplan.resources[address]
	not _encrypted(resource)
	some attribute in _settings(resource.type)
	tfplan.is_configured(resource, attribute)
	tfplan.is_unknown(resource, [attribute])
}

_settings("aws_sqs_queue") := ["kms_master_key_id", "sqs_managed_sse_enabled"]

_settings("aws_sns_topic") := ["kms_master_key_id"]

_encrypted(resource) if _key_set(resource)

_encrypted(resource) if {
	resource.type == "aws_sqs_queue"
	tfplan.is_configured(resource, "sqs_managed_sse_enabled")
	tfplan.value(resource, ["sqs_managed_sse_enabled"]) == true
}

_key_set(resource) if {
	tfplan.is_configured(resource, "kms_master_key_id")
	v := tfplan.value(resource, ["kms_master_key_id"])
	is_string(v)
	v != ""
}

# A key id only known after apply names a key created in the same plan.
_key_set(resource) if {
	tfplan.is_configured(resource, "kms_master_key_id")
	tfplan.is_unknown(resource, ["kms_master_key_id"])
}

_undecided(resource) if {
	resource.type == "aws_sqs_queue"
	tfplan.is_configured(resource, "sqs_managed_sse_enabled")
	tfplan.is_unknown(resource, ["sqs_managed_sse_enabled"])
}

_message(resource) := "kms_master_key_id is not set: the topic is not encrypted at rest" if {
	resource.type == "aws_sns_topic"
	not tfplan.is_configured(resource, "kms_master_key_id")
} else := concat("", ["kms_master_key_id = ", tfplan.shown(resource, ["kms_master_key_id"])]) if {
	resource.type == "aws_sns_topic"
} else := concat("", [
	"sqs_managed_sse_enabled = ", tfplan.shown(resource, ["sqs_managed_sse_enabled"]),
	" and no kms_master_key_id",
]) if {
	tfplan.is_configured(resource, "sqs_managed_sse_enabled")
} else := "neither sqs_managed_sse_enabled = true nor kms_master_key_id is declared (AWS applies SSE-SQS to new queues implicitly; the configuration does not declare it)"
