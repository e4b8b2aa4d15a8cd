package cipa.controls.gov.module_versions_pinned_test

import data.cipa.controls.gov.module_versions_pinned as control

_plan(source, version) := {"resource_changes": [], "configuration": {"root_module": {"module_calls": {"m": {
	"source": source, "version_constraint": version, "module": {},
}}}}}

_decide(source, version) := "fail" if {
	control.fail["module.m"] with input as _plan(source, version)
} else := "pass" if {
	control.scope["module.m"] with input as _plan(source, version)
}

test_registry_versions if {
	_decide("terraform-aws-modules/vpc/aws", "5.8.1") == "pass"
	_decide("terraform-aws-modules/vpc/aws", "= 5.8.1") == "pass"
	_decide("app.terraform.io/acme/vpc/aws", "~> 5.8") == "fail"
	_decide("terraform-aws-modules/vpc/aws", ">= 5") == "fail"
	_decide("terraform-aws-modules/vpc/aws", null) == "fail"
}

test_git_refs if {
	_decide("git::https://github.com/acme/x.git?ref=v1.2.3", null) == "pass"
	_decide("github.com/acme/x?ref=0123456789abcdef0123456789abcdef01234567", null) == "pass"
	_decide("git::https://github.com/acme/x.git//sub?ref=main", null) == "fail"
	_decide("git@github.com:acme/x.git?ref=v1", null) == "fail"
	_decide("github.com/acme/x", null) == "fail"
	_decide("hg::https://hg.example.com/x?rev=1.0.0", null) == "pass"
}

test_local_and_archives_out_of_scope if {
	not _decide("./modules/x", null)
	not _decide("https://example.com/x.zip", null)
	not _decide("s3::https://s3.amazonaws.com/b/x.zip", null)
}

test_messages_name_the_value if {
	msgs := control.fail["module.m"] with input as _plan("acme/vpc/aws", "~> 1.2")
	some msg in msgs
	contains(msg, `version = "~> 1.2"`)
}
