package cipa.controls.gcp.firewall_ssh_from_internet_test

import data.cipa.controls.gcp.firewall_ssh_from_internet as control

_address := "google_compute_firewall.a"

_fw(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": _address, "mode": "managed", "type": "google_compute_firewall", "name": "a",
		"change": {"actions": ["create"], "after": object.union(_base, after), "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": _address, "mode": "managed", "type": "google_compute_firewall", "name": "a",
		"expressions": object.union({"name": {"constant_value": "a"}}, expressions),
	}]}},
}

_base := {
	"name": "a", "network": "default", "direction": "INGRESS", "disabled": false,
	"source_ranges": ["0.0.0.0/0"], "source_tags": null, "source_service_accounts": null,
	"allow": [{"protocol": "tcp", "ports": ["22"]}], "deny": [],
}

_configured := {"direction": {"constant_value": "INGRESS"}, "source_ranges": {"constant_value": ["0.0.0.0/0"]}}

_fails(plan) if control.fail[_address] with input as plan

_unknown(plan) if {
	control.unknown[_address] with input as plan
	not control.fail[_address] with input as plan
}

_passes(plan) if {
	control.scope[_address] with input as plan
	not control.fail[_address] with input as plan
	not control.unknown[_address] with input as plan
}

test_open_ssh_fails if {
	_fails(_fw({}, {}, _configured))
	_fails(_fw({"allow": [{"protocol": "all", "ports": []}]}, {}, _configured))
	_fails(_fw({"allow": [{"protocol": "tcp"}]}, {}, _configured))
	_fails(_fw({"allow": [{"protocol": "udp", "ports": ["53"]}, {"protocol": "6", "ports": ["80", "20-30"]}]}, {}, _configured))
	_fails(_fw({"source_ranges": ["10.0.0.0/8", "::/0"]}, {}, _configured))
}

test_direction_defaults_to_ingress if {
	_fails(_fw({"direction": null}, {"direction": true}, {"source_ranges": {"constant_value": ["0.0.0.0/0"]}}))
}

test_no_source_means_everywhere if {
	_fails(_fw({"source_ranges": null}, {"source_ranges": true}, {}))
}

test_restricted_rules_pass if {
	_passes(_fw({"source_ranges": ["35.235.240.0/20"]}, {}, _configured))
	_passes(_fw({"allow": [{"protocol": "tcp", "ports": ["80", "443", "1000-2000"]}]}, {}, _configured))
	_passes(_fw({"allow": [{"protocol": "udp", "ports": []}]}, {}, _configured))
	_passes(_fw({"direction": "EGRESS"}, {}, _configured))
	_passes(_fw({"disabled": true}, {}, _configured))
}

test_source_tags_only_pass_with_computed_ranges if {
	_passes(_fw({"source_ranges": null, "source_tags": ["web"]}, {"source_ranges": true}, {"source_tags": {"constant_value": ["web"]}}))
}

test_configured_unknown_ranges_are_unknown if {
	_unknown(_fw({"source_ranges": null}, {"source_ranges": true}, {"source_ranges": {"references": ["var.ranges"]}}))
	_unknown(_fw({"source_ranges": ["10.0.0.0/8", null]}, {"source_ranges": [false, true]}, {"source_ranges": {"references": ["var.ranges"]}}))
}

test_unknown_ports_are_unknown if {
	_unknown(_fw({"allow": [{"protocol": "tcp", "ports": null}]}, {"allow": [{"ports": true}]}, _configured))
	_unknown(_fw({"allow": null}, {"allow": true}, _configured))
}

test_unknown_direction_is_unknown if {
	_unknown(_fw({"direction": null}, {"direction": true}, {"direction": {"references": ["var.direction"]}}))
}

test_unknown_ports_with_closed_source_pass if {
	_passes(_fw({"source_ranges": ["10.0.0.0/8"], "allow": null}, {"allow": true}, _configured))
}
