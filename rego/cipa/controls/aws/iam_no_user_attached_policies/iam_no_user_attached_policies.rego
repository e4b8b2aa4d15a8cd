# METADATA
# title: IAM policies are attached to groups or roles, not users
# description: |
#   Permissions reach users through groups or roles: no inline user policy (aws_iam_user_policy), no managed
#   policy attached to a user (aws_iam_user_policy_attachment), and no aws_iam_policy_attachment that lists users.
#   An aws_iam_policy_attachment whose users are only known after apply is undecided; an empty or unset users
#   list passes.
# custom:
#   id: CIPA-AWS-IAM-03
#   severity: low
#   frameworks:
#     cis-aws-1.4: ["1.15"]
#   aliases: [CKV_AWS_40, AVD-AWS-0143]
#   resource_types: [aws_iam_user_policy, aws_iam_user_policy_attachment, aws_iam_policy_attachment]
#   remediation: |
#     Attach the policy to a group and make the user a member:
#
#       resource "aws_iam_group_policy_attachment" "readers" {
#         group      = aws_iam_group.readers.name
#         policy_arn = aws_iam_policy.read.arn
#       }
#
#       resource "aws_iam_user_group_membership" "alice" {
#         user   = aws_iam_user.alice.name
#         groups = [aws_iam_group.readers.name]
#       }
package cipa.controls.aws.iam_no_user_attached_policies

import data.cipa.lib.tfplan

_user_types := ["aws_iam_user_policy", "aws_iam_user_policy_attachment"]

scope contains address if {
	some type in array.concat(_user_types, ["aws_iam_policy_attachment"])
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains concat("", [_what(resource.type), " user = ", tfplan.shown(resource, ["user"])]) if {
	some type in _user_types
	some address in object.get(tfplan.by_type, type, set())
	resource := tfplan.resources[address]
}

fail[address] contains concat("", ["policy is attached to users = ", tfplan.shown(resource, ["users"])]) if {
	some address in object.get(tfplan.by_type, "aws_iam_policy_attachment", set())
	resource := tfplan.resources[address]
	not tfplan.is_unknown(resource, ["users"])
	users := tfplan.value(resource, ["users"])
	is_array(users)
	count(users) > 0
}

# Users of an attachment are unknown as a whole (not element by element): it may list none.
unknown[address] contains "users is only known after apply" if {
	some address in object.get(tfplan.by_type, "aws_iam_policy_attachment", set())
	resource := tfplan.resources[address]
	object.get(resource.unknown, "users", false) == true
}

_what("aws_iam_user_policy") := "inline policy on a user:"

_what("aws_iam_user_policy_attachment") := "managed policy attached to a user:"
