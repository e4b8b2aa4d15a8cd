package cipa.controls.gcp.firewall_rdp_from_internet_test

import data.cipa.controls.gcp.firewall_rdp_from_internet as control

_address := "google_compute_firewall.a"

_fw(allow, after_unknown) := {"resource_changes": [{
	"address": _address, "mode": "managed", "type": "google_compute_firewall", "name": "a",
	"change": {
		"actions": ["create"], "after": {
			"name": "a", "direction": "INGRESS", "disabled": false,
			"source_ranges": ["0.0.0.0/0"], "allow": allow,
		},
		"after_unknown": after_unknown,
	},
}]}

test_open_rdp_fails if {
	every allow in [
		[{"protocol": "tcp", "ports": ["3389"]}],
		[{"protocol": "udp", "ports": ["3000-4000"]}],
		[{"protocol": "all"}],
		[{"protocol": "17", "ports": []}],
	] {
		control.fail[_address] with input as _fw(allow, {})
	}
}

test_other_ports_pass if {
	every allow in [[{"protocol": "tcp", "ports": ["22"]}], [{"protocol": "icmp"}], [{"protocol": "tcp", "ports": ["3390-4000"]}]] {
		control.scope[_address] with input as _fw(allow, {})
		not control.fail[_address] with input as _fw(allow, {})
		not control.unknown[_address] with input as _fw(allow, {})
	}
}

test_unknown_protocol_is_unknown if {
	plan := _fw([{"protocol": null, "ports": ["3389"]}], {"allow": [{"protocol": true, "ports": [false]}]})
	control.unknown[_address] with input as plan
	not control.fail[_address] with input as plan
}
