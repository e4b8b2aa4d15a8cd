package cipa.controls.aws.instance_block_devices_encrypted_test

import data.cipa.controls.aws.instance_block_devices_encrypted as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

plan(changes, configs) := {"resource_changes": changes, "configuration": {"root_module": {"resources": configs}}}

test_encrypted_root_passes if {
	p := plan(
		[rc("aws_instance", "i", {"root_block_device": [{"encrypted": true}], "ebs_block_device": []}, {"ebs_block_device": true})],
		[cfg("aws_instance", "i", {"root_block_device": [{"encrypted": {"constant_value": true}}]})],
	)
	control.scope == {"aws_instance.i"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_root_not_configured_fails if {
	p := plan([rc("aws_instance", "i", {}, {"root_block_device": true, "ebs_block_device": true})], [cfg("aws_instance", "i", {})])
	control.fail["aws_instance.i"] with input as p
}

test_root_configured_without_encrypted_fails if {
	p := plan(
		[rc("aws_instance", "i", {"root_block_device": [{"volume_size": 50}]}, {"root_block_device": [{"encrypted": true}], "ebs_block_device": true})],
		[cfg("aws_instance", "i", {"root_block_device": [{"volume_size": {"constant_value": 50}}]})],
	)
	control.fail["aws_instance.i"] == {"root_block_device[0].encrypted is not set and defaults to unencrypted"} with input as p
}

test_root_encrypted_unknown_is_unknown if {
	p := plan(
		[rc("aws_instance", "i", {"root_block_device": [{}]}, {"root_block_device": [{"encrypted": true}], "ebs_block_device": true})],
		[cfg("aws_instance", "i", {"root_block_device": [{"encrypted": {"references": ["local.encrypt"]}}]})],
	)
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}

test_unencrypted_data_device_fails if {
	p := plan(
		[rc("aws_instance", "i", {"root_block_device": [{"encrypted": true}], "ebs_block_device": [{"device_name": "/dev/sdf", "encrypted": false}]}, {})],
		[cfg("aws_instance", "i", {})],
	)
	control.fail["aws_instance.i"] == {"ebs_block_device[0].encrypted = false"} with input as p
}

test_data_device_from_snapshot_is_unknown if {
	p := plan(
		[rc("aws_launch_configuration", "lc", {"root_block_device": [{"encrypted": true}], "ebs_block_device": [{"device_name": "/dev/sdf", "snapshot_id": "snap-1"}]}, {"ebs_block_device": [{"encrypted": true}]})],
		[cfg("aws_launch_configuration", "lc", {"ebs_block_device": [{"device_name": {"constant_value": "/dev/sdf"}, "snapshot_id": {"constant_value": "snap-1"}}]})],
	)
	control.unknown["aws_launch_configuration.lc"] with input as p
	not control.fail["aws_launch_configuration.lc"] with input as p
}

test_template_encrypted_passes if {
	p := plan([rc("aws_launch_template", "t", {"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "true"}]}]}, {})], [cfg("aws_launch_template", "t", {})])
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_template_unset_encrypted_fails if {
	p := plan([rc("aws_launch_template", "t", {"block_device_mappings": [{"device_name": "/dev/xvda", "ebs": [{"encrypted": "", "volume_size": 30}]}]}, {})], [cfg("aws_launch_template", "t", {})])
	control.fail["aws_launch_template.t"] with input as p
}

test_template_without_mappings_fails if {
	p := plan([rc("aws_launch_template", "t", {"block_device_mappings": []}, {})], [cfg("aws_launch_template", "t", {})])
	control.fail["aws_launch_template.t"] with input as p
}

test_template_virtual_device_ignored if {
	p := plan([rc("aws_launch_template", "t", {"block_device_mappings": [{"device_name": "/dev/sdb", "virtual_name": "ephemeral0", "ebs": []}, {"device_name": "/dev/xvda", "ebs": [{"encrypted": "true"}]}]}, {})], [cfg("aws_launch_template", "t", {})])
	count(control.fail) == 0 with input as p
}

test_account_default_encryption_passes if {
	p := plan(
		[rc("aws_instance", "i", {}, {"root_block_device": true}), rc("aws_ebs_encryption_by_default", "on", {"enabled": true}, {})],
		[cfg("aws_instance", "i", {}), cfg("aws_ebs_encryption_by_default", "on", {"enabled": {"constant_value": true}})],
	)
	count(control.fail) == 0 with input as p
}

template_plan(mappings) := plan(
	[
		rc("aws_launch_template", "t", {"block_device_mappings": mappings}, {"id": true}),
		rc("aws_instance", "i", {"launch_template": [{}]}, {"root_block_device": true, "launch_template": [{"id": true}]}),
	],
	[
		cfg("aws_launch_template", "t", {}),
		cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["aws_launch_template.t.id", "aws_launch_template.t"]}}]}),
	],
)

test_instance_follows_encrypted_template if {
	p := template_plan([{"device_name": "/dev/xvda", "ebs": [{"encrypted": "true"}]}])
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_instance_follows_unencrypted_template if {
	p := template_plan([])
	control.fail["aws_instance.i"] == {"launch_template aws_launch_template.t: block_device_mappings is not set: volumes take the AMI's snapshots, encrypted only if those snapshots are"} with input as p
}

test_instance_from_outside_template_is_unknown if {
	p := plan(
		[rc("aws_instance", "i", {"launch_template": [{"id": "lt-1"}]}, {"root_block_device": true})],
		[cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["var.template_id"]}}]})],
	)
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}
