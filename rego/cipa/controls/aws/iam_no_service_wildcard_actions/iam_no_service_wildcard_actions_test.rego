package cipa.controls.aws.iam_no_service_wildcard_actions_test

import data.cipa.controls.aws.iam_no_service_wildcard_actions as control

_input(type, after, after_unknown) := {"resource_changes": [{
	"address": concat(".", [type, "p"]),
	"mode": "managed",
	"type": type,
	"name": "p",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}]}

_doc(statements) := {"policy": json.marshal({"Version": "2012-10-17", "Statement": statements})}

test_service_wildcard_fails if {
	inp := _input("aws_iam_policy", _doc([{"Effect": "Allow", "Action": ["s3:GetObject", "s3:*"], "Resource": "arn:aws:s3:::x"}]), {})
	control.fail["aws_iam_policy.p"] == {"policy statement 0 allows wildcard Action [\"s3:*\"]"} with input as inp
}

test_all_actions_fails if {
	inp := _input("aws_iam_group_policy", _doc({"Sid": "All", "Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::x"}), {})
	control.fail["aws_iam_group_policy.p"] == {"policy statement \"All\" allows wildcard Action [\"*\"]"} with input as inp
}

test_upper_case_service_wildcard_fails if {
	inp := _input("aws_iam_user_policy", _doc([{"Effect": "Allow", "Action": "IAM:*", "Resource": "*"}]), {})
	control.fail["aws_iam_user_policy.p"] with input as inp
}

test_partial_wildcard_passes if {
	inp := _input("aws_iam_role_policy", _doc([{"Effect": "Allow", "Action": ["s3:Get*", "s3:List*"], "Resource": "*"}]), {})
	control.scope["aws_iam_role_policy.p"] with input as inp
	not control.fail["aws_iam_role_policy.p"] with input as inp
	not control.unknown["aws_iam_role_policy.p"] with input as inp
}

test_deny_wildcard_passes if {
	inp := _input("aws_iam_policy", _doc([{"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]), {})
	not control.fail["aws_iam_policy.p"] with input as inp
}

test_unknown_policy_is_unknown if {
	inp := _input("aws_iam_policy", {}, {"policy": true})
	control.unknown["aws_iam_policy.p"] == {"policy is only known after apply"} with input as inp
}

test_other_types_out_of_scope if {
	inp := _input("aws_s3_bucket_policy", _doc([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]), {})
	not control.scope["aws_s3_bucket_policy.p"] with input as inp
}
