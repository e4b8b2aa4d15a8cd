package cipa.controls.aws.iam_no_root_access_keys_test

import data.cipa.controls.aws.iam_no_root_access_keys as control

_key(after, after_unknown) := {
	"address": "aws_iam_access_key.k",
	"mode": "managed",
	"type": "aws_iam_access_key",
	"name": "k",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}

test_root_user_fails if {
	control.fail["aws_iam_access_key.k"] == {"user = \"root\" is the account root user"} with input as {"resource_changes": [_key({"user": "root"}, {})]}
}

test_root_arn_fails if {
	control.fail["aws_iam_access_key.k"] with input as {"resource_changes": [_key({"user": "arn:aws:iam::111122223333:root"}, {})]}
}

test_iam_user_passes if {
	inp := {"resource_changes": [_key({"user": "ci"}, {})]}
	control.scope["aws_iam_access_key.k"] with input as inp
	not control.fail["aws_iam_access_key.k"] with input as inp
	not control.unknown["aws_iam_access_key.k"] with input as inp
}

test_unknown_user_is_unknown if {
	inp := {"resource_changes": [_key({}, {"user": true})]}
	control.unknown["aws_iam_access_key.k"] with input as inp
}

test_unknown_user_managed_in_plan_passes if {
	user := {
		"address": "aws_iam_user.ci",
		"mode": "managed",
		"type": "aws_iam_user",
		"name": "ci",
		"change": {"actions": ["create"], "after": {"name": "ci"}},
	}
	config := {"root_module": {"resources": [{
		"address": "aws_iam_access_key.k",
		"mode": "managed",
		"type": "aws_iam_access_key",
		"name": "k",
		"expressions": {"user": {"references": ["aws_iam_user.ci.name", "aws_iam_user.ci"]}},
	}]}}
	inp := {"resource_changes": [_key({}, {"user": true}), user], "configuration": config}
	not control.fail["aws_iam_access_key.k"] with input as inp
	not control.unknown["aws_iam_access_key.k"] with input as inp
}

test_sensitive_root_user_still_fails if {
	rc := {
		"address": "aws_iam_access_key.k",
		"mode": "managed",
		"type": "aws_iam_access_key",
		"name": "k",
		"change": {"actions": ["create"], "after": {"user": "root"}, "after_sensitive": {"user": true}},
	}
	control.fail["aws_iam_access_key.k"] == {"user = (sensitive) is the account root user"} with input as {"resource_changes": [rc]}
}
