package cipa.controls.gcp.kms_key_rotation_test

import data.cipa.controls.gcp.kms_key_rotation as control

_address := "google_kms_crypto_key.k"

_plan(after, after_unknown) := {"resource_changes": [{
	"address": _address, "mode": "managed", "type": "google_kms_crypto_key", "name": "k",
	"change": {"actions": ["create"], "after": object.union({"name": "k", "purpose": "ENCRYPT_DECRYPT"}, after), "after_unknown": after_unknown},
}]}

_decide(plan) := "fail" if {
	control.fail[_address] with input as plan
} else := "unknown" if {
	control.unknown[_address] with input as plan
} else := "pass" if {
	control.scope[_address] with input as plan
}

test_unset_and_long_periods_fail if {
	_decide(_plan({"rotation_period": null}, {})) == "fail"
	_decide(_plan({}, {})) == "fail"
	_decide(_plan({"rotation_period": "7776001s"}, {})) == "fail"
	_decide(_plan({"rotation_period": "31536000s"}, {})) == "fail"
	_decide(_plan({"rotation_period": "90d"}, {})) == "fail"
}

test_90_days_or_less_pass if {
	_decide(_plan({"rotation_period": "7776000s"}, {})) == "pass"
	_decide(_plan({"rotation_period": "86400.5s"}, {})) == "pass"
}

test_unknown_period if {
	_decide(_plan({"rotation_period": null}, {"rotation_period": true})) == "unknown"
}

test_asymmetric_keys_out_of_scope if {
	not _decide(_plan({"purpose": "ASYMMETRIC_SIGN"}, {}))
	_decide(_plan({"purpose": null}, {"purpose": true})) == "fail"
}
