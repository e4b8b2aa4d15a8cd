package cipa.controls.azure.storage_secure_transfer_test

import data.cipa.controls.azure.storage_secure_transfer as control

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

test_v3_and_v4_false_fail if {
	_decide(_plan({"enable_https_traffic_only": false}, {}, {"enable_https_traffic_only": {"constant_value": false}})) == "fail"
	_decide(_plan({"https_traffic_only_enabled": false}, {}, {"https_traffic_only_enabled": {"constant_value": false}})) == "fail"
}

test_default_and_true_pass if {
	_decide(_plan({"enable_https_traffic_only": true}, {}, {})) == "pass"
	_decide(_plan({"https_traffic_only_enabled": true}, {}, {"https_traffic_only_enabled": {"constant_value": true}})) == "pass"
	_decide(_plan({"name": "a"}, {}, {})) == "pass"
}

test_configured_unknown_is_unknown if {
	_decide(_plan({"https_traffic_only_enabled": null}, {"https_traffic_only_enabled": true}, {"https_traffic_only_enabled": {"references": ["var.https"]}})) == "unknown"
}

test_planned_false_without_configuration_fails if {
	plan := {"resource_changes": [{
		"address": _address, "mode": "managed", "type": "azurerm_storage_account", "name": "a",
		"change": {"actions": ["update"], "after": {"enable_https_traffic_only": false}, "after_unknown": {}},
	}]}
	_decide(plan) == "fail"
}
