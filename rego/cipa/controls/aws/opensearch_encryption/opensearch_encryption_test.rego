package cipa.controls.aws.opensearch_encryption_test

import data.cipa.controls.aws.opensearch_encryption as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_plan(type, after, unknown, expressions) := {
	"resource_changes": [_rc(type, "a", after, unknown)],
	"configuration": {"root_module": {"resources": [_cfg(type, "a", expressions)]}},
}

_status(plan, address) := "fail" if {
	control.fail[address] with input as plan
} else := "unknown" if {
	control.unknown[address] with input as plan
} else := "pass" if {
	control.scope[address] with input as plan
} else := "out of scope"

_c(v) := {"constant_value": v}

_var := {"references": ["var.x"]}

secure := {
	"encrypt_at_rest": [{"enabled": true}],
	"node_to_node_encryption": [{"enabled": true}],
	"domain_endpoint_options": [{"enforce_https": true}],
}

secure_config := {
	"encrypt_at_rest": [{"enabled": _c(true)}],
	"node_to_node_encryption": [{"enabled": _c(true)}],
	"domain_endpoint_options": [{"enforce_https": _c(true)}],
}

test_decisions if {
	_status(_plan("aws_opensearch_domain", secure, {}, secure_config), "aws_opensearch_domain.a") == "pass"
	_status(_plan("aws_elasticsearch_domain", secure, {}, secure_config), "aws_elasticsearch_domain.a") == "pass"
	_status(_plan("aws_opensearch_domain", {}, {"encrypt_at_rest": true, "node_to_node_encryption": true, "domain_endpoint_options": true}, {}), "aws_opensearch_domain.a") == "fail"
	_status(_plan("aws_opensearch_domain", object.union(secure, {"node_to_node_encryption": [{"enabled": false}]}), {}, object.union(secure_config, {"node_to_node_encryption": [{"enabled": _c(false)}]})), "aws_opensearch_domain.a") == "fail"
	_status(_plan("aws_opensearch_domain", object.union(secure, {"encrypt_at_rest": [{}]}), {"encrypt_at_rest": [{"enabled": true}]}, object.union(secure_config, {"encrypt_at_rest": [{"enabled": _var}]})), "aws_opensearch_domain.a") == "unknown"
}

test_enforce_https_defaults_to_true_inside_a_declared_block if {
	plan := _plan("aws_opensearch_domain", object.union(secure, {"domain_endpoint_options": [{"tls_security_policy": "Policy-Min-TLS-1-2-2019-07"}]}), {"domain_endpoint_options": [{"enforce_https": true}]}, object.union(secure_config, {"domain_endpoint_options": [{"tls_security_policy": _c("Policy-Min-TLS-1-2-2019-07")}]}))
	_status(plan, "aws_opensearch_domain.a") == "pass"
}

test_fail_wins_over_unknown if {
	plan := _plan("aws_opensearch_domain", {"encrypt_at_rest": [{}]}, {"encrypt_at_rest": [{"enabled": true}]}, {"encrypt_at_rest": [{"enabled": _var}]})
	_status(plan, "aws_opensearch_domain.a") == "fail"
	control.unknown["aws_opensearch_domain.a"] == {"encrypt_at_rest.enabled is only known after apply"} with input as plan
}

test_messages if {
	control.fail["aws_opensearch_domain.a"] == {"node_to_node_encryption.enabled = false"} with input as _plan("aws_opensearch_domain", object.union(secure, {"node_to_node_encryption": [{"enabled": false}]}), {}, object.union(secure_config, {"node_to_node_encryption": [{"enabled": _c(false)}]}))
}
