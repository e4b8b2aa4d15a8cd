package cipa.controls.aws.kms_key_policy_no_public_principal_test

import data.cipa.controls.aws.kms_key_policy_no_public_principal as control

_input(type, after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": concat(".", [type, "k"]),
		"mode": "managed",
		"type": type,
		"name": "k",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": concat(".", [type, "k"]),
		"mode": "managed",
		"type": type,
		"name": "k",
		"expressions": expressions,
	}]}},
}

_policy(statement) := {"policy": json.marshal({"Version": "2012-10-17", "Statement": [statement]})}

test_public_principal_without_condition_fails if {
	inp := _input("aws_kms_key", _policy({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*"}), {}, {"policy": {}})
	control.fail["aws_kms_key.k"] == {`policy statement 0 allows Principal {"AWS": "*"} without a Condition`} with input as inp
}

test_key_policy_resource_fails if {
	inp := _input("aws_kms_key_policy", _policy({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}), {"key_id": true}, {"policy": {}})
	control.fail["aws_kms_key_policy.k"] with input as inp
}

test_public_principal_with_condition_passes if {
	statement := {
		"Effect": "Allow",
		"Principal": {"AWS": "*"},
		"Action": ["kms:Encrypt", "kms:Decrypt"],
		"Resource": "*",
		"Condition": {"StringEquals": {"kms:CallerAccount": "111122223333"}},
	}
	inp := _input("aws_kms_key", _policy(statement), {}, {"policy": {}})
	control.scope["aws_kms_key.k"] with input as inp
	not control.fail["aws_kms_key.k"] with input as inp
	not control.unknown["aws_kms_key.k"] with input as inp
}

test_account_principal_passes if {
	inp := _input("aws_kms_key", _policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}), {}, {"policy": {}})
	not control.fail["aws_kms_key.k"] with input as inp
}

test_default_policy_passes if {
	inp := _input("aws_kms_key", {"description": "k"}, {"policy": true}, {"description": {"constant_value": "k"}})
	control.scope["aws_kms_key.k"] with input as inp
	not control.fail["aws_kms_key.k"] with input as inp
	not control.unknown["aws_kms_key.k"] with input as inp
}

test_configured_unknown_policy_is_unknown if {
	inp := _input("aws_kms_key", {}, {"policy": true}, {"policy": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]}})
	control.unknown["aws_kms_key.k"] == {"policy is only known after apply"} with input as inp
}
