package cipa.controls.azure.nsg_ssh_from_internet_test

import data.cipa.controls.azure.nsg_ssh_from_internet as control

_rule(name, after, after_unknown) := {
	"address": concat(".", ["azurerm_network_security_rule", name]),
	"mode": "managed",
	"type": "azurerm_network_security_rule",
	"name": name,
	"change": {"actions": ["create"], "after": object.union(_base, after), "after_unknown": after_unknown},
}

_base := {
	"access": "Allow", "direction": "Inbound", "protocol": "Tcp",
	"source_address_prefix": "*", "source_address_prefixes": null,
	"destination_port_range": "22", "destination_port_ranges": null,
}

_group(name, rules, after_unknown) := {
	"address": concat(".", ["azurerm_network_security_group", name]),
	"mode": "managed",
	"type": "azurerm_network_security_group",
	"name": name,
	"change": {"actions": ["create"], "after": {"name": name, "security_rule": rules}, "after_unknown": after_unknown},
}

_plan(changes) := {"resource_changes": changes}

test_rule_from_star_to_22_fails if {
	control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {}, {})])
}

test_internet_tags_and_cidrs_fail if {
	every prefix in ["Internet", "any", "0.0.0.0/0", "0.0.0.0", "::/0"] {
		control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {"source_address_prefix": prefix}, {})])
	}
}

test_prefixes_list_with_internet_fails if {
	control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {"source_address_prefix": null, "source_address_prefixes": ["10.0.0.0/8", "Internet"]}, {})])
}

test_port_ranges_and_wildcards_fail if {
	every spec in ["*", "20-30", "0-65535", " 22 "] {
		control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {"destination_port_range": spec}, {})])
	}
	control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {"destination_port_range": null, "destination_port_ranges": ["80", "21-23"]}, {})])
}

test_any_protocol_fails_udp_passes if {
	control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {"protocol": "*"}, {})])
	not control.fail["azurerm_network_security_rule.a"] with input as _plan([_rule("a", {"protocol": "Udp"}, {})])
}

test_restricted_rules_pass if {
	inputs := [
		_plan([_rule("a", {"source_address_prefix": "10.0.0.0/8"}, {})]),
		_plan([_rule("a", {"source_address_prefix": "VirtualNetwork"}, {})]),
		_plan([_rule("a", {"destination_port_range": "23-3388"}, {})]),
		_plan([_rule("a", {"access": "Deny"}, {})]),
		_plan([_rule("a", {"direction": "Outbound"}, {})]),
	]
	every plan in inputs {
		control.scope["azurerm_network_security_rule.a"] with input as plan
		not control.fail["azurerm_network_security_rule.a"] with input as plan
		not control.unknown["azurerm_network_security_rule.a"] with input as plan
	}
}

test_unknown_source_is_unknown if {
	plan := _plan([_rule("a", {"source_address_prefix": null}, {"source_address_prefix": true})])
	control.unknown["azurerm_network_security_rule.a"] with input as plan
	not control.fail["azurerm_network_security_rule.a"] with input as plan
}

test_unknown_source_with_closed_port_passes if {
	plan := _plan([_rule("a", {"source_address_prefix": null, "destination_port_range": "443"}, {"source_address_prefix": true})])
	not control.unknown["azurerm_network_security_rule.a"] with input as plan
	not control.fail["azurerm_network_security_rule.a"] with input as plan
}

test_inline_rule_reported_on_group if {
	rules := [
		object.union(_base, {"name": "https", "destination_port_range": "443"}),
		object.union(_base, {"name": "ssh", "source_address_prefix": "", "source_address_prefixes": ["Internet"]}),
	]
	msgs := control.fail["azurerm_network_security_group.g"] with input as _plan([_group("g", rules, {})])
	some msg in msgs
	contains(msg, `security_rule "ssh"`)
	contains(msg, `source_address_prefixes = ["Internet"]`)
}

test_inline_element_unknown if {
	rules := [object.union(_base, {"name": "ssh", "destination_port_range": null})]
	plan := _plan([_group("g", rules, {"security_rule": [{"destination_port_range": true}]})])
	control.unknown["azurerm_network_security_group.g"] with input as plan
}

test_group_with_separate_rules_passes if {
	plan := {
		"resource_changes": [_group("g", null, {"security_rule": true})],
		"configuration": {"root_module": {"resources": [{
			"address": "azurerm_network_security_group.g",
			"mode": "managed", "type": "azurerm_network_security_group", "name": "g",
			"expressions": {"name": {"constant_value": "g"}},
		}]}},
	}
	control.scope["azurerm_network_security_group.g"] with input as plan
	not control.unknown["azurerm_network_security_group.g"] with input as plan
	not control.fail["azurerm_network_security_group.g"] with input as plan
}

test_group_with_configured_unknown_rules_is_unknown if {
	plan := {
		"resource_changes": [_group("g", null, {"security_rule": true})],
		"configuration": {"root_module": {"resources": [{
			"address": "azurerm_network_security_group.g",
			"mode": "managed", "type": "azurerm_network_security_group", "name": "g",
			"expressions": {"security_rule": {"references": ["var.rules"]}},
		}]}},
	}
	control.unknown["azurerm_network_security_group.g"] with input as plan
}

test_deleted_rule_out_of_scope if {
	deleted := object.union(_rule("a", {}, {}), {"change": {"actions": ["delete"], "after": null}})
	not control.scope["azurerm_network_security_rule.a"] with input as _plan([deleted])
}
