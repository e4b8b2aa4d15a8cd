package cipa.controls.gov.provider_versions_constrained_test

import data.cipa.controls.gov.provider_versions_constrained as control

_plan(configs, providers) := {
	"resource_changes": [{
		"address": concat("", [p, "_thing.r"]), "mode": "managed", "type": concat("", [p, "_thing"]), "name": "r",
		"provider_name": concat("/", ["registry.terraform.io/hashicorp", p]),
		"change": {"actions": ["create"], "after": {}, "after_unknown": {}},
	} |
		some p in providers
	],
	"configuration": {"provider_config": configs},
}

_decide(plan, name) := "fail" if {
	control.fail[concat(".", ["provider", name])] with input as plan
} else := "pass" if {
	control.scope[concat(".", ["provider", name])] with input as plan
}

test_root_constraint_passes if {
	_decide(_plan({"aws": {"name": "aws", "version_constraint": "~> 5.0"}}, ["aws"]), "aws") == "pass"
}

test_root_without_constraint_fails_even_if_children_constrain if {
	plan := _plan(
		{
			"aws": {"name": "aws"},
			"module.s3:aws": {"name": "aws", "module_address": "module.s3", "version_constraint": ">= 5.27.0"},
		},
		[],
	)
	_decide(plan, "aws") == "fail"
}

test_child_only_provider_with_constraint_passes if {
	plan := _plan({"module.dns:cloudflare": {"name": "cloudflare", "module_address": "module.dns", "version_constraint": "~> 4.0"}}, [])
	_decide(plan, "cloudflare") == "pass"
}

test_provider_used_but_not_required_fails if {
	msgs := control.fail["provider.random"] with input as _plan({"aws": {"name": "aws", "version_constraint": "~> 5.0"}}, ["aws", "random"])
	msgs == {"no module declares a version constraint for provider random"}
}

test_aliases_share_the_name if {
	plan := _plan({"aws": {"name": "aws", "version_constraint": "~> 5.0"}, "aws.east": {"name": "aws", "alias": "east", "version_constraint": "~> 5.0"}}, [])
	_decide(plan, "aws") == "pass"
	not control.scope["provider.aws.east"] with input as plan
}

test_builtin_terraform_provider_out_of_scope if {
	plan := {"resource_changes": [{
		"address": "terraform_data.x", "mode": "managed", "type": "terraform_data", "name": "x",
		"provider_name": "terraform.io/builtin/terraform",
		"change": {"actions": ["create"], "after": {}, "after_unknown": {}},
	}]}
	not control.scope["provider.terraform"] with input as plan
}

test_name_from_key_without_name if {
	_decide(_plan({"module.x:google.west": {"module_address": "module.x"}}, []), "google") == "fail"
}
