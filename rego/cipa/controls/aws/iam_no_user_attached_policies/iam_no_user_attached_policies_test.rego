package cipa.controls.aws.iam_no_user_attached_policies_test

import data.cipa.controls.aws.iam_no_user_attached_policies as control

_input(type, after, after_unknown) := {"resource_changes": [{
	"address": concat(".", [type, "a"]),
	"mode": "managed",
	"type": type,
	"name": "a",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}]}

test_user_policy_fails if {
	inp := _input("aws_iam_user_policy", {"user": "alice", "policy": "{}"}, {})
	control.fail["aws_iam_user_policy.a"] == {"inline policy on a user: user = \"alice\""} with input as inp
}

test_user_policy_attachment_fails_even_when_user_unknown if {
	inp := _input("aws_iam_user_policy_attachment", {}, {"user": true, "policy_arn": true})
	control.fail["aws_iam_user_policy_attachment.a"] == {"managed policy attached to a user: user = (known after apply)"} with input as inp
}

test_policy_attachment_with_users_fails if {
	inp := _input("aws_iam_policy_attachment", {"users": ["alice"], "roles": null, "groups": null}, {})
	control.fail["aws_iam_policy_attachment.a"] == {"policy is attached to users = [\"alice\"]"} with input as inp
}

test_policy_attachment_with_unknown_user_element_fails if {
	inp := _input("aws_iam_policy_attachment", {"users": [null]}, {"users": [true]})
	control.fail["aws_iam_policy_attachment.a"] with input as inp
}

test_policy_attachment_with_empty_users_passes if {
	inp := _input("aws_iam_policy_attachment", {"users": [], "roles": ["app"]}, {})
	control.scope["aws_iam_policy_attachment.a"] with input as inp
	not control.fail["aws_iam_policy_attachment.a"] with input as inp
	not control.unknown["aws_iam_policy_attachment.a"] with input as inp
}

test_policy_attachment_with_null_users_passes if {
	inp := _input("aws_iam_policy_attachment", {"users": null, "groups": ["ops"]}, {})
	not control.fail["aws_iam_policy_attachment.a"] with input as inp
	not control.unknown["aws_iam_policy_attachment.a"] with input as inp
}

test_policy_attachment_with_unknown_users_is_unknown if {
	inp := _input("aws_iam_policy_attachment", {"roles": ["app"]}, {"users": true})
	control.unknown["aws_iam_policy_attachment.a"] with input as inp
	not control.fail["aws_iam_policy_attachment.a"] with input as inp
}

test_group_attachment_out_of_scope if {
	inp := _input("aws_iam_group_policy_attachment", {"group": "ops"}, {})
	not control.scope["aws_iam_group_policy_attachment.a"] with input as inp
}
