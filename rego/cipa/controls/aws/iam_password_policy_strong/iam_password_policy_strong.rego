# METADATA
# title: The account password policy requires long passwords and prevents reuse
# description: |
#   The account password policy (aws_iam_account_password_policy) requires at least 14 characters
#   (minimum_password_length, provider default 6) and remembers at least the last 24 passwords
#   (password_reuse_prevention, unset allows reuse). The password policy is account-level: when a plan that uses
#   the aws provider does not manage it, the control cannot see it and reports unknown on the pseudo-address
#   `aws_iam_account_password_policy`.
# custom:
#   id: CIPA-AWS-IAM-05
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["1.8", "1.9"]
#   aliases: [CKV_AWS_10, CKV_AWS_13, AVD-AWS-0063, AVD-AWS-0056]
#   resource_types: [aws_iam_account_password_policy]
#   remediation: |
#     Manage the account password policy in Terraform:
#
#       resource "aws_iam_account_password_policy" "this" {
#         minimum_password_length   = 14
#         password_reuse_prevention = 24
#         require_lowercase_characters = true
#         require_uppercase_characters = true
#         require_numbers              = true
#         require_symbols              = true
#       }
package cipa.controls.aws.iam_password_policy_strong

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

# Attribute, minimum, provider default (0: not enforced).
_requirements := [["minimum_password_length", 14, 6], ["password_reuse_prevention", 24, 0]]

_policies := object.get(tfplan.by_type, "aws_iam_account_password_policy", set())

scope contains address if some address in _policies

scope contains "aws_iam_account_password_policy" if {
	count(_policies) == 0
	tfplan.uses_provider("aws")
}

fail[address] contains concat("", [attribute, " = ", _shown(policy, attribute, default_value), " (at least ", format_int(minimum, 10), ")"]) if {
	some address in _policies
	policy := tfplan.resources[address]
	some [attribute, minimum, default_value] in _requirements
	v := aws_policy.effective_at(policy, [attribute], default_value)
	v < minimum
}

unknown[address] contains concat("", [attribute, " is only known after apply"]) if {
	some address in _policies
	policy := tfplan.resources[address]
	some [attribute, _, _] in _requirements
	aws_policy.undecided_at(policy, [attribute])
}

unknown.aws_iam_account_password_policy contains "the plan does not manage the account password policy (aws_iam_account_password_policy)" if {
	"aws_iam_account_password_policy" in scope
}

_shown(policy, attribute, default_value) := tfplan.shown(policy, [attribute]) if {
	tfplan.value(policy, [attribute]) != null
} else := concat("", ["(not set, default ", format_int(default_value, 10), ")"]) if {
	default_value > 0
} else := "(not set)"
