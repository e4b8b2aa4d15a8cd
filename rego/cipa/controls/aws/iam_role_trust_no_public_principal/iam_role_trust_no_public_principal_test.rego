package cipa.controls.aws.iam_role_trust_no_public_principal_test

import data.cipa.controls.aws.iam_role_trust_no_public_principal as control

_role(after, after_unknown) := {"resource_changes": [{
	"address": "aws_iam_role.r",
	"mode": "managed",
	"type": "aws_iam_role",
	"name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}]}

_trust(statement) := {"assume_role_policy": json.marshal({"Version": "2012-10-17", "Statement": [statement]})}

test_star_principal_fails if {
	inp := _role(_trust({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}), {})
	control.fail["aws_iam_role.r"] == {"assume_role_policy statement 0 allows Principal \"*\""} with input as inp
}

test_aws_star_principal_in_list_fails if {
	inp := _role(_trust({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}, "Action": "sts:AssumeRole"}), {})
	control.fail["aws_iam_role.r"] with input as inp
}

test_star_with_condition_still_fails if {
	statement := {
		"Effect": "Allow",
		"Principal": {"AWS": "*"},
		"Action": "sts:AssumeRole",
		"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
	}
	control.fail["aws_iam_role.r"] with input as _role(_trust(statement), {})
}

test_service_principal_passes if {
	inp := _role(_trust({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}), {})
	control.scope["aws_iam_role.r"] with input as inp
	not control.fail["aws_iam_role.r"] with input as inp
	not control.unknown["aws_iam_role.r"] with input as inp
}

test_deny_star_passes if {
	inp := _role(_trust({"Effect": "Deny", "Principal": "*", "Action": "sts:AssumeRole"}), {})
	not control.fail["aws_iam_role.r"] with input as inp
}

test_unknown_trust_is_unknown if {
	inp := _role({"name": "r"}, {"assume_role_policy": true})
	control.unknown["aws_iam_role.r"] == {"assume_role_policy is only known after apply"} with input as inp
	not control.fail["aws_iam_role.r"] with input as inp
}
