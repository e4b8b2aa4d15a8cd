package cipa.controls.azure.nsg_rdp_from_internet_test

import data.cipa.controls.azure.nsg_rdp_from_internet as control

_rule(after, after_unknown) := {
	"address": "azurerm_network_security_rule.a",
	"mode": "managed",
	"type": "azurerm_network_security_rule",
	"name": "a",
	"change": {"actions": ["create"], "after": object.union(_base, after), "after_unknown": after_unknown},
}

_base := {
	"access": "Allow", "direction": "Inbound", "protocol": "Tcp",
	"source_address_prefix": "Internet", "source_address_prefixes": null,
	"destination_port_range": "3389", "destination_port_ranges": null,
}

_plan(after, after_unknown) := {"resource_changes": [_rule(after, after_unknown)]}

test_rdp_from_internet_fails if {
	every after in [{}, {"protocol": "Udp"}, {"protocol": "*"}, {"destination_port_range": "3000-4000"}, {"destination_port_range": "*"}] {
		control.fail["azurerm_network_security_rule.a"] with input as _plan(after, {})
	}
}

test_ssh_rule_and_restricted_source_pass if {
	every after in [{"destination_port_range": "22"}, {"source_address_prefix": "203.0.113.0/24"}, {"protocol": "Icmp"}, {"access": "Deny"}] {
		control.scope["azurerm_network_security_rule.a"] with input as _plan(after, {})
		not control.fail["azurerm_network_security_rule.a"] with input as _plan(after, {})
		not control.unknown["azurerm_network_security_rule.a"] with input as _plan(after, {})
	}
}

test_unknown_ports_are_unknown if {
	plan := _plan({"destination_port_range": null, "destination_port_ranges": null}, {"destination_port_ranges": true})
	control.unknown["azurerm_network_security_rule.a"] with input as plan
	not control.fail["azurerm_network_security_rule.a"] with input as plan
}

test_unknown_element_of_ports_is_unknown if {
	plan := _plan({"destination_port_range": null, "destination_port_ranges": ["80", null]}, {"destination_port_ranges": [false, true]})
	control.unknown["azurerm_network_security_rule.a"] with input as plan
}
