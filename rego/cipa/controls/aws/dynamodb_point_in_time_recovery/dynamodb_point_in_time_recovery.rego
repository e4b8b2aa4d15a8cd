# METADATA
# title: DynamoDB tables have point-in-time recovery
# description: |
#   Every aws_dynamodb_table enables point-in-time recovery (point_in_time_recovery { enabled = true }), so that
#   the table can be restored to any second of the last 35 days. Without the block, or with enabled unset, it is
#   off (the provider default). A value only known after apply leaves the table undecided.
# custom:
#   id: CIPA-AWS-DDB-01
#   severity: low
#   aliases: [CKV_AWS_28, AVD-AWS-0024]
#   resource_types: [aws_dynamodb_table]
#   remediation: |
#     Enable point-in-time recovery:
#
#       resource "aws_dynamodb_table" "this" {
#         # ...
#         point_in_time_recovery {
#           enabled = true
#         }
#       }
package cipa.controls.aws.dynamodb_point_in_time_recovery

import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_dynamodb_table", set())

fail[address] contains _message(resource) if {
	some address in scope
	resource := tfplan.resources[address]
	_enabled(resource) == false
}

unknown[address] contains "point_in_time_recovery is only known after apply" if {
	some address in scope
	not _decided(tfplan.resources[address])
}

_decided(resource) if _enabled(resource) != null

# The block's enabled flag: the provider default (false) when the block or the flag is left unset, undefined when
# only known after apply.
_enabled(resource) := false if {
	not tfplan.is_configured(resource, "point_in_time_recovery")
} else := v if {
	v := tfplan.value(resource, ["point_in_time_recovery", 0, "enabled"])
	v != null
} else := false if {
	not tfplan.is_unknown(resource, ["point_in_time_recovery", 0, "enabled"])
}

_message(resource) := "point_in_time_recovery is not set (off by default)" if {
	not tfplan.is_configured(resource, "point_in_time_recovery")
} else := concat("", ["point_in_time_recovery.enabled = ", tfplan.shown(resource, ["point_in_time_recovery", 0, "enabled"])])
