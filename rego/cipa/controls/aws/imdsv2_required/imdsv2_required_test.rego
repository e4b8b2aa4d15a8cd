package cipa.controls.aws.imdsv2_required_test

import data.cipa.controls.aws.imdsv2_required as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

plan(changes, configs) := {"resource_changes": changes, "configuration": {"root_module": {"resources": configs}}}

test_required_passes if {
	p := plan(
		[rc("aws_instance", "i", {"metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled"}]}, {})],
		[cfg("aws_instance", "i", {"metadata_options": [{"http_tokens": {"constant_value": "required"}}]})],
	)
	control.scope == {"aws_instance.i"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_not_configured_fails if {
	p := plan([rc("aws_instance", "i", {}, {"metadata_options": true})], [cfg("aws_instance", "i", {})])
	control.fail["aws_instance.i"] == {`metadata_options[0].http_tokens is not set and defaults to "optional" (IMDSv1 allowed) and metadata_options[0].http_endpoint is not set and defaults to "enabled"`} with input as p
}

test_optional_fails if {
	p := plan(
		[rc("aws_launch_template", "t", {"metadata_options": [{"http_tokens": "optional", "http_endpoint": "enabled"}]}, {})],
		[cfg("aws_launch_template", "t", {"metadata_options": [{"http_tokens": {"constant_value": "optional"}}]})],
	)
	control.fail["aws_launch_template.t"] with input as p
}

test_endpoint_disabled_passes if {
	p := plan(
		[rc("aws_launch_configuration", "l", {"metadata_options": [{"http_tokens": "optional", "http_endpoint": "disabled"}]}, {})],
		[cfg("aws_launch_configuration", "l", {"metadata_options": [{"http_endpoint": {"constant_value": "disabled"}}]})],
	)
	count(control.fail) == 0 with input as p
}

test_tokens_unknown_is_unknown if {
	p := plan(
		[rc("aws_instance", "i", {"metadata_options": [{"http_endpoint": "enabled"}]}, {"metadata_options": [{"http_tokens": true}]})],
		[cfg("aws_instance", "i", {"metadata_options": [{"http_tokens": {"references": ["data.aws_ssm_parameter.imds.value"]}}]})],
	)
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}

test_account_default_required_passes if {
	p := plan(
		[rc("aws_instance", "i", {}, {"metadata_options": true}), rc("aws_ec2_instance_metadata_defaults", "d", {"http_tokens": "required"}, {})],
		[cfg("aws_instance", "i", {}), cfg("aws_ec2_instance_metadata_defaults", "d", {"http_tokens": {"constant_value": "required"}})],
	)
	count(control.fail) == 0 with input as p
}

test_account_default_does_not_override_explicit_optional if {
	p := plan(
		[rc("aws_instance", "i", {"metadata_options": [{"http_tokens": "optional"}]}, {}), rc("aws_ec2_instance_metadata_defaults", "d", {"http_tokens": "required"}, {})],
		[cfg("aws_instance", "i", {"metadata_options": [{"http_tokens": {"constant_value": "optional"}}]}), cfg("aws_ec2_instance_metadata_defaults", "d", {})],
	)
	control.fail["aws_instance.i"] with input as p
}

test_instance_follows_launch_template if {
	p := plan(
		[
			rc("aws_launch_template", "t", {"metadata_options": [{"http_tokens": "required", "http_endpoint": "enabled"}]}, {"id": true}),
			rc("aws_instance", "i", {"launch_template": [{}]}, {"metadata_options": true, "launch_template": [{"id": true}]}),
		],
		[
			cfg("aws_launch_template", "t", {"metadata_options": [{"http_tokens": {"constant_value": "required"}}]}),
			cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["aws_launch_template.t.id", "aws_launch_template.t"]}}]}),
		],
	)
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_instance_follows_optional_launch_template if {
	p := plan(
		[
			rc("aws_launch_template", "t", {"metadata_options": []}, {"id": true, "metadata_options": true}),
			rc("aws_instance", "i", {"launch_template": [{}]}, {"metadata_options": true, "launch_template": [{"id": true}]}),
		],
		[
			cfg("aws_launch_template", "t", {}),
			cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["aws_launch_template.t.id", "aws_launch_template.t"]}}]}),
		],
	)
	startswith(control.fail["aws_instance.i"][_], "launch_template aws_launch_template.t sets ") with input as p
	control.fail["aws_launch_template.t"] with input as p
}

test_instance_from_outside_template_is_unknown if {
	p := plan(
		[rc("aws_instance", "i", {"launch_template": [{"id": "lt-0123"}]}, {"metadata_options": true})],
		[cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["var.template_id"]}}]})],
	)
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}
