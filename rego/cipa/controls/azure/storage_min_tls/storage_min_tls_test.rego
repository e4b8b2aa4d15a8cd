package cipa.controls.azure.storage_min_tls_test

import data.cipa.controls.azure.storage_min_tls as control

_address := "azurerm_storage_account.a"

_plan(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": _address, "mode": "managed", "type": "azurerm_storage_account", "name": "a",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": _address, "mode": "managed", "type": "azurerm_storage_account", "name": "a",
		"expressions": object.union({"name": {"constant_value": "a"}}, expressions),
	}]}},
}

_decide(plan) := "fail" if {
	control.fail[_address] with input as plan
} else := "unknown" if {
	control.unknown[_address] with input as plan
} else := "pass" if {
	control.scope[_address] with input as plan
}

test_old_versions_fail if {
	_decide(_plan({"min_tls_version": "TLS1_0"}, {}, {"min_tls_version": {"constant_value": "TLS1_0"}})) == "fail"
	_decide(_plan({"min_tls_version": "TLS1_1"}, {}, {"min_tls_version": {"constant_value": "TLS1_1"}})) == "fail"
	_decide(_plan({"min_tls_version": "tls1.2"}, {}, {"min_tls_version": {"constant_value": "tls1.2"}})) == "fail"
}

test_azurerm2_planned_default_fails if {
	_decide(_plan({"min_tls_version": "TLS1_0"}, {}, {})) == "fail"
}

test_tls12_and_default_pass if {
	_decide(_plan({"min_tls_version": "TLS1_2"}, {}, {"min_tls_version": {"constant_value": "TLS1_2"}})) == "pass"
	_decide(_plan({"name": "a"}, {}, {})) == "pass"
}

test_unknown if {
	_decide(_plan({"min_tls_version": null}, {"min_tls_version": true}, {"min_tls_version": {"references": ["var.tls"]}})) == "unknown"
}
