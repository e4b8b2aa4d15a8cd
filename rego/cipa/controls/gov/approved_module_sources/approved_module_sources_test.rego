package cipa.controls.gov.approved_module_sources_test

import data.cipa.controls.gov.approved_module_sources as control

_plan(calls) := {"resource_changes": [], "configuration": {"root_module": {"module_calls": calls}}}

_calls := {
	"vpc": {"source": "terraform-aws-modules/vpc/aws", "version_constraint": "5.8.1", "module": {}},
	"app": {"source": "./modules/app", "module": {"module_calls": {
		"db": {"source": "git::https://github.com/Acme/terraform-db.git?ref=v1.0.0", "module": {"module_calls": {
			"inner": {"source": "../shared", "module": {}},
		}}},
		"util": {"source": "../util", "module": {}},
	}}},
	"tools": {"source": "../tools", "module": {}},
}

_decide(path, settings) := "fail" if {
	control.fail[path] with input as _plan(_calls) with data.cipa.settings as settings
} else := "pass" if {
	control.scope[path] with input as _plan(_calls) with data.cipa.settings as settings
}

test_empty_list_admits_local_only if {
	_decide("module.vpc", {}) == "fail"
	_decide("module.app", {}) == "pass"
	_decide("module.tools", {}) == "pass"
	_decide("module.app.module.db", {"approved_module_sources": []}) == "fail"
}

test_prefixes_in_canonical_form if {
	settings := {"approved_module_sources": ["github.com/acme/", "terraform-aws-modules/"]}
	_decide("module.vpc", settings) == "pass"
	_decide("module.app.module.db", settings) == "pass"
	_decide("module.app", settings) == "pass"
}

test_unlisted_remote_fails_with_message if {
	settings := {"approved_module_sources": ["app.terraform.io/acme/"]}
	msgs := control.fail["module.vpc"] with input as _plan(_calls) with data.cipa.settings as settings
	some msg in msgs
	contains(msg, `matches none of settings.approved_module_sources ["app.terraform.io/acme/"]`)
}

test_local_prefixes_restrict_root_local_calls if {
	settings := {"approved_module_sources": ["./modules/", "terraform-aws-modules/"]}
	_decide("module.app", settings) == "pass"
	_decide("module.tools", settings) == "fail"
}

test_nested_local_calls_out_of_scope if {
	not _decide("module.app.module.util", {})
	not _decide("module.app.module.db.module.inner", {})
}

test_missing_source_fails if {
	control.fail["module.x"] with input as _plan({"x": {"module": {}}}) with data.cipa.settings as {}
}
