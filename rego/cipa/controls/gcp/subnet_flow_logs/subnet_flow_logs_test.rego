package cipa.controls.gcp.subnet_flow_logs_test

import data.cipa.controls.gcp.subnet_flow_logs as control

_address := "google_compute_subnetwork.s"

_plan(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": _address, "mode": "managed", "type": "google_compute_subnetwork", "name": "s",
		"change": {"actions": ["create"], "after": object.union({"name": "s", "ip_cidr_range": "10.0.0.0/24"}, after), "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": _address, "mode": "managed", "type": "google_compute_subnetwork", "name": "s",
		"expressions": object.union({"name": {"constant_value": "s"}}, expressions),
	}]}},
}

_decide(plan) := "fail" if {
	control.fail[_address] with input as plan
} else := "unknown" if {
	control.unknown[_address] with input as plan
} else := "pass" if {
	control.scope[_address] with input as plan
}

_log := {"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 1, "metadata": "INCLUDE_ALL_METADATA"}

test_no_log_config_fails if {
	_decide(_plan({"log_config": []}, {"log_config": []}, {})) == "fail"
	_decide(_plan({}, {}, {})) == "fail"
}

test_zero_sampling_fails if {
	_decide(_plan({"log_config": [object.union(_log, {"flow_sampling": 0})]}, {}, {"log_config": [{}]})) == "fail"
}

test_log_config_passes if {
	_decide(_plan({"log_config": [_log]}, {"log_config": [{}]}, {"log_config": [{}]})) == "pass"
	_decide(_plan({"enable_flow_logs": true}, {"log_config": true}, {"enable_flow_logs": {"constant_value": true}})) == "pass"
}

test_unknown_log_config if {
	_decide(_plan({}, {"log_config": true}, {"log_config": [{"flow_sampling": {"references": ["var.sampling"]}}]})) == "unknown"
	_decide(_plan({"log_config": [object.union(_log, {"flow_sampling": null})]}, {"log_config": [{"flow_sampling": true}]}, {"log_config": [{}]})) == "unknown"
}

test_proxy_only_out_of_scope if {
	not _decide(_plan({"purpose": "REGIONAL_MANAGED_PROXY", "log_config": []}, {}, {}))
}
