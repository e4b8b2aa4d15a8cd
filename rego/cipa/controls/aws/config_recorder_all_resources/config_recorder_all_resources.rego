# METADATA
# title: AWS Config records every resource type, global ones included
# description: |
#   The AWS Config recorder (aws_config_configuration_recorder) records all supported resource types
#   (recording_group.all_supported, default true) including global ones such as IAM
#   (recording_group.include_global_resource_types, default false). The recorder is account-level (one per
#   region): when a plan that uses the aws provider does not manage it, the control cannot see it and reports
#   unknown on the pseudo-address `aws_config_configuration_recorder`.
# custom:
#   id: CIPA-AWS-LOG-05
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["3.5"]
#   aliases: [CKV2_AWS_48, AVD-AWS-0019]
#   resource_types: [aws_config_configuration_recorder]
#   remediation: |
#     Record every supported resource type, global ones included:
#
#       resource "aws_config_configuration_recorder" "this" {
#         name     = "default"
#         role_arn = aws_iam_role.config.arn
#
#         recording_group {
#           all_supported                 = true
#           include_global_resource_types = true
#         }
#       }
package cipa.controls.aws.config_recorder_all_resources

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

# Setting inside recording_group, default.
_settings := [["all_supported", true], ["include_global_resource_types", false]]

_recorders := object.get(tfplan.by_type, "aws_config_configuration_recorder", set())

scope contains address if some address in _recorders

scope contains "aws_config_configuration_recorder" if {
	count(_recorders) == 0
	tfplan.uses_provider("aws")
}

fail[address] contains concat("", ["recording_group.", setting, " = ", _shown(recorder, setting, default_value)]) if {
	some address in _recorders
	recorder := tfplan.resources[address]
	some [setting, default_value] in _settings
	aws_policy.effective_at(recorder, ["recording_group", 0, setting], default_value) != true
}

unknown[address] contains concat("", ["recording_group.", setting, " is only known after apply"]) if {
	some address in _recorders
	recorder := tfplan.resources[address]
	some [setting, _] in _settings
	aws_policy.undecided_at(recorder, ["recording_group", 0, setting])
}

unknown.aws_config_configuration_recorder contains "the plan does not manage the AWS Config recorder (aws_config_configuration_recorder)" if {
	"aws_config_configuration_recorder" in scope
}

_shown(recorder, setting, default_value) := tfplan.shown(recorder, ["recording_group", 0, setting]) if {
	tfplan.value(recorder, ["recording_group", 0, setting]) != null
} else := concat("", ["(not set, default ", tfplan.display(default_value), ")"])
