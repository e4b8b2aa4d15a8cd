package cipa.controls.aws.no_secrets_in_user_data_test

import data.cipa.controls.aws.no_secrets_in_user_data as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

plan(changes, configs) := {"resource_changes": changes, "configuration": {"root_module": {"resources": configs}}}

test_access_key_in_base64_user_data_fails if {
	p := plan([rc("aws_instance", "i", {"user_data_base64": "IyEvYmluL2Jhc2gKZXhwb3J0IEFXU19BQ0NFU1NfS0VZX0lEPUFLSUFJT1NGT0ROTjdFWEFNUExFCg=="}, {})], [cfg("aws_instance", "i", {})])
	control.fail["aws_instance.i"] == {"user_data_base64 contains an AWS access key id"} with input as p
}

test_password_in_configured_user_data_fails if {
	p := plan(
		[rc("aws_instance", "i", {"user_data": "0123456789abcdef0123456789abcdef01234567"}, {})],
		[cfg("aws_instance", "i", {"user_data": {"constant_value": "#!/bin/bash\nmysql -u admin --password=Sup3rS3cret! db\n"}})],
	)
	control.fail["aws_instance.i"] == {"user_data in the configuration contains a password assignment"} with input as p
}

test_private_key_in_launch_template_fails if {
	p := plan([rc("aws_launch_template", "t", {"user_data": "IyEvYmluL2Jhc2gKY2F0ID4gL3Jvb3QvLnNzaC9pZF9yc2EgPDxFT0YKLS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlFCkVPRgo="}, {})], [cfg("aws_launch_template", "t", {})])
	control.fail["aws_launch_template.t"] == {"user_data contains a private key"} with input as p
}

test_hashed_user_data_passes if {
	p := plan(
		[rc("aws_instance", "i", {"user_data": "0123456789abcdef0123456789abcdef01234567"}, {})],
		[cfg("aws_instance", "i", {"user_data": {"references": ["local.boot_script"]}})],
	)
	control.scope == {"aws_instance.i"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_secret_read_at_boot_passes if {
	p := plan([rc("aws_instance", "i", {"user_data_base64": "IyEvYmluL2Jhc2gKREJfUEFTU1dPUkQ9JChhd3Mgc2VjcmV0c21hbmFnZXIgZ2V0LXNlY3JldC12YWx1ZSAtLXNlY3JldC1pZCBwcm9kL2RiIC0tcXVlcnkgU2VjcmV0U3RyaW5nIC0tb3V0cHV0IHRleHQpClRPS0VOPSQoY3VybCAtWCBQVVQgaHR0cDovLzE2OS4yNTQuMTY5LjI1NC9sYXRlc3QvYXBpL3Rva2VuKQo="}, {})], [cfg("aws_instance", "i", {})])
	count(control.fail) == 0 with input as p
}

test_unknown_user_data_is_unknown if {
	p := plan(
		[rc("aws_instance", "i", {}, {"user_data": true})],
		[cfg("aws_instance", "i", {"user_data": {"references": ["aws_db_instance.main.address", "aws_db_instance.main"]}})],
	)
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}

test_no_user_data_passes if {
	p := plan([rc("aws_instance", "i", {"user_data": null, "user_data_base64": null}, {})], [cfg("aws_instance", "i", {})])
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_module_input_constant_is_read if {
	p := {
		"resource_changes": [object.union(rc("aws_instance", "i", {"user_data": "0123456789abcdef0123456789abcdef01234567"}, {}), {"address": "module.app.aws_instance.i", "module_address": "module.app"})],
		"configuration": {"root_module": {"module_calls": {"app": {
			"expressions": {"boot": {"constant_value": "#!/bin/sh\napi_key: abcdef0123456789\n"}},
			"module": {"resources": [cfg("aws_instance", "i", {"user_data": {"references": ["var.boot"]}})]},
		}}}},
	}
	control.fail["module.app.aws_instance.i"] == {"user_data in the configuration contains a secret, token or API key assignment"} with input as p
}
