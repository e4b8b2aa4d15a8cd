package cipa.controls.aws.no_public_ip_assignment_test

import data.cipa.controls.aws.no_public_ip_assignment as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

plan(changes, configs) := {"resource_changes": changes, "configuration": {"root_module": {"resources": configs}}}

test_public_subnet_fails if {
	p := plan([rc("aws_subnet", "s", {"map_public_ip_on_launch": true}, {"id": true})], [cfg("aws_subnet", "s", {"map_public_ip_on_launch": {"constant_value": true}})])
	control.fail["aws_subnet.s"] == {"map_public_ip_on_launch = true"} with input as p
}

test_private_subnet_passes if {
	p := plan([rc("aws_subnet", "s", {"map_public_ip_on_launch": false}, {"id": true})], [cfg("aws_subnet", "s", {})])
	control.scope == {"aws_subnet.s"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_default_subnet_defaults_to_public if {
	p := plan([rc("aws_default_subnet", "d", {}, {"id": true, "map_public_ip_on_launch": true})], [cfg("aws_default_subnet", "d", {"availability_zone": {"constant_value": "eu-west-1a"}})])
	control.fail["aws_default_subnet.d"] with input as p
}

test_instance_public_ip_fails if {
	p := plan([rc("aws_instance", "i", {"associate_public_ip_address": true, "subnet_id": "subnet-1"}, {})], [cfg("aws_instance", "i", {"associate_public_ip_address": {"constant_value": true}})])
	control.fail["aws_instance.i"] with input as p
}

test_instance_no_public_ip_passes if {
	p := plan([rc("aws_instance", "i", {"associate_public_ip_address": false, "subnet_id": "subnet-1"}, {})], [cfg("aws_instance", "i", {"associate_public_ip_address": {"constant_value": false}})])
	not control.fail["aws_instance.i"] with input as p
	not control.unknown["aws_instance.i"] with input as p
}

test_instance_follows_public_subnet if {
	p := plan(
		[
			rc("aws_subnet", "pub", {"map_public_ip_on_launch": true}, {"id": true}),
			rc("aws_instance", "i", {}, {"associate_public_ip_address": true, "subnet_id": true}),
		],
		[
			cfg("aws_subnet", "pub", {"map_public_ip_on_launch": {"constant_value": true}}),
			cfg("aws_instance", "i", {"subnet_id": {"references": ["aws_subnet.pub.id", "aws_subnet.pub"]}}),
		],
	)
	control.fail["aws_instance.i"] == {"associate_public_ip_address is not set and subnet_id refers to aws_subnet.pub, which maps public IPs on launch"} with input as p
}

test_instance_follows_private_subnet if {
	p := plan(
		[
			rc("aws_subnet", "priv", {"map_public_ip_on_launch": false}, {"id": true}),
			rc("aws_instance", "i", {}, {"associate_public_ip_address": true, "subnet_id": true}),
		],
		[cfg("aws_subnet", "priv", {}), cfg("aws_instance", "i", {"subnet_id": {"references": ["aws_subnet.priv.id", "aws_subnet.priv"]}})],
	)
	not control.fail["aws_instance.i"] with input as p
	not control.unknown["aws_instance.i"] with input as p
}

test_instance_without_subnet_lands_in_default_subnet if {
	p := plan([rc("aws_instance", "i", {}, {"associate_public_ip_address": true, "subnet_id": true})], [cfg("aws_instance", "i", {"ami": {"constant_value": "ami-1"}})])
	control.fail["aws_instance.i"] with input as p
}

test_instance_in_outside_subnet_is_unknown if {
	p := plan([rc("aws_instance", "i", {"subnet_id": "subnet-0abc"}, {"associate_public_ip_address": true})], [cfg("aws_instance", "i", {"subnet_id": {"references": ["var.subnet_id"]}})])
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}

test_instance_configured_unknown_is_unknown if {
	p := plan([rc("aws_instance", "i", {"subnet_id": "subnet-0abc"}, {"associate_public_ip_address": true})], [cfg("aws_instance", "i", {"associate_public_ip_address": {"references": ["local.public"]}})])
	control.unknown["aws_instance.i"] with input as p
}

test_instance_with_network_interface_passes if {
	p := plan([rc("aws_instance", "i", {"network_interface": [{"device_index": 0}]}, {"associate_public_ip_address": true, "subnet_id": true})], [cfg("aws_instance", "i", {"network_interface": [{"device_index": {"constant_value": 0}}]})])
	not control.fail["aws_instance.i"] with input as p
	not control.unknown["aws_instance.i"] with input as p
}

template_plan(interfaces) := plan(
	[
		rc("aws_launch_template", "t", {"network_interfaces": interfaces}, {"id": true}),
		rc("aws_instance", "i", {"launch_template": [{}]}, {"associate_public_ip_address": true, "subnet_id": true, "launch_template": [{"id": true}]}),
	],
	[
		cfg("aws_launch_template", "t", {}),
		cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["aws_launch_template.t.id", "aws_launch_template.t"]}}]}),
	],
)

test_instance_follows_public_template if {
	p := template_plan([{"associate_public_ip_address": "true", "device_index": 0}])
	control.fail["aws_instance.i"] == {`associate_public_ip_address is not set and launch_template aws_launch_template.t sets network_interfaces[0].associate_public_ip_address = "true"`} with input as p
}

test_instance_follows_private_template if {
	p := template_plan([{"associate_public_ip_address": "false", "device_index": 0}])
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_instance_template_leaves_it_to_subnet if {
	p := template_plan([])
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}

test_instance_from_outside_template_is_unknown if {
	p := plan([rc("aws_instance", "i", {"launch_template": [{"id": "lt-1"}]}, {"associate_public_ip_address": true, "subnet_id": true})], [cfg("aws_instance", "i", {"launch_template": [{"id": {"references": ["var.template_id"]}}]})])
	control.unknown["aws_instance.i"] with input as p
	not control.fail["aws_instance.i"] with input as p
}
