package cipa.controls.aws.kms_key_rotation_enabled_test

import data.cipa.controls.aws.kms_key_rotation_enabled as control

_key(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_kms_key.k",
		"mode": "managed",
		"type": "aws_kms_key",
		"name": "k",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_kms_key.k",
		"mode": "managed",
		"type": "aws_kms_key",
		"name": "k",
		"expressions": expressions,
	}]}},
}

test_rotation_off_fails if {
	inp := _key({"enable_key_rotation": false}, {"key_usage": true}, {"enable_key_rotation": {"constant_value": false}})
	control.fail["aws_kms_key.k"] == {"enable_key_rotation = false (default false)"} with input as inp
}

test_rotation_unset_fails if {
	inp := _key({}, {"enable_key_rotation": true, "key_usage": true, "customer_master_key_spec": true}, {})
	control.fail["aws_kms_key.k"] with input as inp
	not control.unknown["aws_kms_key.k"] with input as inp
}

test_rotation_on_passes if {
	inp := _key({"enable_key_rotation": true, "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT"}, {}, {"enable_key_rotation": {"constant_value": true}})
	control.scope["aws_kms_key.k"] with input as inp
	not control.fail["aws_kms_key.k"] with input as inp
	not control.unknown["aws_kms_key.k"] with input as inp
}

test_asymmetric_out_of_scope if {
	inp := _key({"enable_key_rotation": false, "customer_master_key_spec": "RSA_2048", "key_usage": "SIGN_VERIFY"}, {}, {"customer_master_key_spec": {"constant_value": "RSA_2048"}})
	not control.scope["aws_kms_key.k"] with input as inp
}

test_hmac_out_of_scope if {
	inp := _key({"customer_master_key_spec": "HMAC_256", "key_usage": "GENERATE_VERIFY_MAC"}, {}, {"customer_master_key_spec": {"constant_value": "HMAC_256"}})
	not control.scope["aws_kms_key.k"] with input as inp
}

test_rotation_from_unknown_variable_is_unknown if {
	inp := _key({}, {"enable_key_rotation": true}, {"enable_key_rotation": {"references": ["aws_ssm_parameter.p.value", "aws_ssm_parameter.p"]}})
	control.unknown["aws_kms_key.k"] with input as inp
	not control.fail["aws_kms_key.k"] with input as inp
}

test_spec_unknown_is_unknown if {
	inp := _key({"enable_key_rotation": false}, {"customer_master_key_spec": true}, {"customer_master_key_spec": {"references": ["var.spec"]}})
	control.scope["aws_kms_key.k"] with input as inp
	control.unknown["aws_kms_key.k"] == {"customer_master_key_spec is only known after apply"} with input as inp
	not control.fail["aws_kms_key.k"] with input as inp
}
