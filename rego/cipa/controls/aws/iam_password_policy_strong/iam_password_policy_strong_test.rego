package cipa.controls.aws.iam_password_policy_strong_test

import data.cipa.controls.aws.iam_password_policy_strong as control

_input(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_iam_account_password_policy.p",
		"mode": "managed",
		"type": "aws_iam_account_password_policy",
		"name": "p",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_iam_account_password_policy.p",
		"mode": "managed",
		"type": "aws_iam_account_password_policy",
		"name": "p",
		"expressions": expressions,
	}]}},
}

test_strong_policy_passes if {
	inp := _input(
		{"minimum_password_length": 14, "password_reuse_prevention": 24},
		{},
		{"minimum_password_length": {"constant_value": 14}, "password_reuse_prevention": {"constant_value": 24}},
	)
	control.scope["aws_iam_account_password_policy.p"] with input as inp
	not control.fail["aws_iam_account_password_policy.p"] with input as inp
	not control.unknown["aws_iam_account_password_policy.p"] with input as inp
	not control.scope.aws_iam_account_password_policy with input as inp
}

test_short_length_fails if {
	inp := _input(
		{"minimum_password_length": 8, "password_reuse_prevention": 24},
		{},
		{"minimum_password_length": {"constant_value": 8}, "password_reuse_prevention": {"constant_value": 24}},
	)
	control.fail["aws_iam_account_password_policy.p"] == {"minimum_password_length = 8 (at least 14)"} with input as inp
}

test_defaults_fail if {
	inp := _input({"minimum_password_length": 6}, {"password_reuse_prevention": true}, {})
	control.fail["aws_iam_account_password_policy.p"] == {
		"minimum_password_length = 6 (at least 14)",
		"password_reuse_prevention = (not set) (at least 24)",
	} with input as inp
	not control.unknown["aws_iam_account_password_policy.p"] with input as inp
}

test_unset_length_unknown_in_plan_takes_default if {
	inp := _input({"password_reuse_prevention": 24}, {"minimum_password_length": true}, {"password_reuse_prevention": {"constant_value": 24}})
	control.fail["aws_iam_account_password_policy.p"] == {"minimum_password_length = (not set, default 6) (at least 14)"} with input as inp
}

test_length_from_unknown_expression_is_unknown if {
	inp := _input(
		{"password_reuse_prevention": 24},
		{"minimum_password_length": true},
		{"minimum_password_length": {"references": ["aws_ssm_parameter.p.value"]}, "password_reuse_prevention": {"constant_value": 24}},
	)
	control.unknown["aws_iam_account_password_policy.p"] == {"minimum_password_length is only known after apply"} with input as inp
	not control.fail["aws_iam_account_password_policy.p"] with input as inp
}

test_plan_without_password_policy_is_unknown if {
	inp := {"resource_changes": [{
		"address": "aws_s3_bucket.b",
		"mode": "managed",
		"type": "aws_s3_bucket",
		"name": "b",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": {}},
	}]}
	control.scope.aws_iam_account_password_policy with input as inp
	control.unknown.aws_iam_account_password_policy with input as inp
}

test_plan_without_aws_is_out_of_scope if {
	inp := {"resource_changes": [{
		"address": "google_storage_bucket.b",
		"mode": "managed",
		"type": "google_storage_bucket",
		"name": "b",
		"provider_name": "registry.terraform.io/hashicorp/google",
		"change": {"actions": ["create"], "after": {}},
	}]}
	count(control.scope) == 0 with input as inp
}
