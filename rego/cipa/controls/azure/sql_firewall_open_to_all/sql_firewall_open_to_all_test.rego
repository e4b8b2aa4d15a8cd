package cipa.controls.azure.sql_firewall_open_to_all_test

import data.cipa.controls.azure.sql_firewall_open_to_all as control

_plan(type, after, after_unknown) := {"resource_changes": [{
	"address": concat(".", [type, "r"]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}]}

_decide(type, after, after_unknown) := "fail" if {
	control.fail[concat(".", [type, "r"])] with input as _plan(type, after, after_unknown)
} else := "unknown" if {
	control.unknown[concat(".", [type, "r"])] with input as _plan(type, after, after_unknown)
} else := "pass" if {
	control.scope[concat(".", [type, "r"])] with input as _plan(type, after, after_unknown)
}

test_internet_and_azure_wide_ranges_fail if {
	every type in control.rule_types {
		_decide(type, {"start_ip_address": "0.0.0.0", "end_ip_address": "255.255.255.255"}, {}) == "fail"
	}
	_decide("azurerm_mssql_firewall_rule", {"start_ip_address": "0.0.0.0", "end_ip_address": "0.0.0.0"}, {}) == "fail"
	_decide("azurerm_mssql_firewall_rule", {"start_ip_address": "10.0.0.0", "end_ip_address": "255.255.255.255"}, {}) == "fail"
}

test_allow_azure_services_message if {
	msgs := control.fail["azurerm_sql_firewall_rule.r"] with input as _plan("azurerm_sql_firewall_rule", {"start_ip_address": "0.0.0.0", "end_ip_address": "0.0.0.0"}, {})
	some msg in msgs
	contains(msg, "every Azure service")
}

test_narrow_range_passes if {
	_decide("azurerm_postgresql_flexible_server_firewall_rule", {"start_ip_address": "203.0.113.0", "end_ip_address": "203.0.113.255"}, {}) == "pass"
}

test_unknown_bound if {
	_decide("azurerm_mssql_firewall_rule", {"start_ip_address": "10.0.0.1"}, {"end_ip_address": true}) == "unknown"
	_decide("azurerm_mssql_firewall_rule", {"start_ip_address": "0.0.0.0"}, {"end_ip_address": true}) == "fail"
}

test_other_types_out_of_scope if {
	not _decide("azurerm_mssql_server", {"start_ip_address": "0.0.0.0"}, {})
}
