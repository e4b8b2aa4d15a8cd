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

_policy_rule(type, after, after_unknown) := {"resource_changes": [{
	"address": concat(".", [type, "r"]), "mode": "managed", "type": type, "name": "r",
	"change": {
		"actions": ["create"], "after": object.union(
			{
				"action": "allow", "direction": "INGRESS", "disabled": false, "priority": 1000,
				"match": [{"src_ip_ranges": ["0.0.0.0/0"], "layer4_configs": [{"ip_protocol": "tcp", "ports": ["22"]}]}],
			},
			after,
		),
		"after_unknown": after_unknown,
	},
}]}

_policy_decide(type, after, after_unknown) := "fail" if {
	control.fail[concat(".", [type, "r"])] with input as _policy_rule(type, after, after_unknown)
} else := "unknown" if {
	control.unknown[concat(".", [type, "r"])] with input as _policy_rule(type, after, after_unknown)
} else := "pass" if {
	control.scope[concat(".", [type, "r"])] with input as _policy_rule(type, after, after_unknown)
}

test_policy_rules_open_to_internet_fail if {
	every type in ["google_compute_firewall_policy_rule", "google_compute_network_firewall_policy_rule", "google_compute_region_network_firewall_policy_rule"] {
		_policy_decide(type, {}, {}) == "fail"
	}
	_policy_decide("google_compute_network_firewall_policy_rule", {"match": [{"src_ip_ranges": ["::/0"], "layer4_configs": [{"ip_protocol": "all"}]}]}, {}) == "fail"
}

test_policy_rules_closed_pass if {
	type := "google_compute_network_firewall_policy_rule"
	_policy_decide(type, {"action": "deny"}, {}) == "pass"
	_policy_decide(type, {"action": "goto_next"}, {}) == "pass"
	_policy_decide(type, {"direction": "EGRESS"}, {}) == "pass"
	_policy_decide(type, {"disabled": true}, {}) == "pass"
	_policy_decide(type, {"match": [{"src_ip_ranges": ["35.235.240.0/20"], "layer4_configs": [{"ip_protocol": "tcp", "ports": ["22"]}]}]}, {}) == "pass"
	_policy_decide(type, {"match": [{"src_ip_ranges": null, "src_fqdns": ["example.com"], "layer4_configs": [{"ip_protocol": "tcp", "ports": ["22"]}]}]}, {}) == "pass"
	_policy_decide(type, {"match": [{"src_ip_ranges": ["0.0.0.0/0"], "layer4_configs": [{"ip_protocol": "tcp", "ports": ["443"]}]}]}, {}) == "pass"
}

test_policy_rule_unknown_ranges if {
	_policy_decide(
		"google_compute_firewall_policy_rule",
		{"match": [{"src_ip_ranges": null, "layer4_configs": [{"ip_protocol": "tcp", "ports": ["22"]}]}]},
		{"match": [{"src_ip_ranges": true, "layer4_configs": [{"ports": [false]}]}]},
	) == "unknown"
}
