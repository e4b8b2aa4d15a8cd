# METADATA
# title: No access keys for the root user
# description: |
#   No aws_iam_access_key is created for the account root user (user "root" or the account's root ARN
#   arn:aws:iam::<account>:root). A key whose user is only known after apply is undecided, unless the
#   configuration names an aws_iam_user the plan manages (an IAM user, never the root user).
# custom:
#   id: CIPA-AWS-IAM-06
#   severity: critical
#   frameworks:
#     cis-aws-1.4: ["1.4"]
#   aliases: [CKV_AWS_348, AVD-AWS-0141]
#   resource_types: [aws_iam_access_key]
#   remediation: |
#     Remove the root user's access key and create keys only for IAM users (or, better, use roles):
#
#       resource "aws_iam_access_key" "ci" {
#         user = aws_iam_user.ci.name
#       }
package cipa.controls.aws.iam_no_root_access_keys

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_iam_access_key

fail[address] contains concat("", ["user = ", tfplan.shown(key, ["user"]), " is the account root user"]) if {
	some address in scope
	key := tfplan.resources[address]
	_root(tfplan.value(key, ["user"]))
}

fail[address] contains concat("", ["user is ", user, ", named ", tfplan.shown(tfplan.resources[user], ["name"])]) if {
	some address in scope
	key := tfplan.resources[address]
	tfplan.is_unknown(key, ["user"])
	some user in _users(key)
	_root(tfplan.value(tfplan.resources[user], ["name"]))
}

unknown[address] contains "user is only known after apply" if {
	some address in scope
	key := tfplan.resources[address]
	tfplan.is_unknown(key, ["user"])
	count(_users(key)) == 0
}

_users(key) := {address |
	some address in aws_policy.attribute_targets(key, "user")
	tfplan.resources[address].type == "aws_iam_user"
}

_root(user) if {
	is_string(user)
	lower(user) == "root"
}

_root(user) if {
	is_string(user)
	regex.match(`^arn:aws[a-z-]*:iam::[0-9]{12}:root$`, user)
}
