package cipa.controls.gov.required_tags_test

import data.cipa.controls.gov.required_tags as control

_settings := {"required_tags": ["owner", "environment"]}

_rc(type, after, after_unknown) := {
	"address": concat(".", [type, "r"]), "mode": "managed", "type": type, "name": "r",
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}

_plan(rc, default_tags) := {
	"resource_changes": [rc],
	"configuration": {"provider_config": {"aws": object.union({"name": "aws"}, _defaults(default_tags))}},
}

_defaults(true) := {"expressions": {"default_tags": [{"tags": {"references": ["var.tags"]}}]}}

_defaults(false) := {}

_decide(rc, default_tags) := "fail" if {
	control.fail[rc.address] with input as _plan(rc, default_tags) with data.cipa.settings as _settings
} else := "unknown" if {
	control.unknown[rc.address] with input as _plan(rc, default_tags) with data.cipa.settings as _settings
} else := "pass" if {
	control.scope[rc.address] with input as _plan(rc, default_tags) with data.cipa.settings as _settings
}

_full := {"owner": "team-a", "environment": "prod"}

test_tags_present_pass if {
	_decide(_rc("aws_s3_bucket", {"tags": _full, "tags_all": _full}, {"tags": {}, "tags_all": {}}), false) == "pass"
}

test_missing_tags_fail if {
	rc := _rc("aws_s3_bucket", {"tags": {"owner": "a"}, "tags_all": {"owner": "a"}}, {})
	_decide(rc, false) == "fail"
	msgs := control.fail["aws_s3_bucket.r"] with input as _plan(rc, false) with data.cipa.settings as _settings
	msgs == {"missing required tags: environment"}
}

test_untagged_with_unknown_tags_all_and_no_defaults_fails if {
	_decide(_rc("aws_s3_bucket", {"tags": null, "tags_all": null}, {"tags_all": true}), false) == "fail"
}

test_default_tags_count if {
	_decide(_rc("aws_iam_role", {"tags": null, "tags_all": _full}, {"tags_all": {}}), true) == "pass"
	_decide(_rc("aws_iam_role", {"tags": null}, {"tags_all": true}), true) == "unknown"
}

test_unknown_tags if {
	_decide(_rc("aws_s3_bucket", {}, {"tags": true, "tags_all": true}), false) == "unknown"
	_decide(_rc("aws_s3_bucket", {"tags": {"environment": "prod"}}, {"tags": {"owner": true}}), false) == "pass"
}

test_empty_value_fails if {
	_decide(_rc("aws_s3_bucket", {"tags": {"owner": "", "environment": "prod"}}, {}), false) == "fail"
}

test_google_labels if {
	_decide(_rc("google_storage_bucket", {"labels": _full, "terraform_labels": _full}, {}), false) == "pass"
	_decide(_rc("google_compute_instance", {"labels": null, "tags": ["web"]}, {}), false) == "fail"
	not _decide(_rc("google_compute_firewall", {"name": "x"}, {}), false)
}

test_list_tags_out_of_scope if {
	not _decide(_rc("aws_autoscaling_group", {"tags": [{"key": "owner", "value": "a"}]}, {}), false)
	not _decide(_rc("aws_iam_policy_attachment", {"name": "x"}, {}), false)
}

test_no_required_tags_passes if {
	rc := _rc("aws_s3_bucket", {"tags": null}, {})
	not control.fail["aws_s3_bucket.r"] with input as _plan(rc, false) with data.cipa.settings as {}
}

test_case_matters if {
	_decide(_rc("azurerm_resource_group", {"tags": {"Owner": "a", "Environment": "b"}}, {}), false) == "fail"
}
