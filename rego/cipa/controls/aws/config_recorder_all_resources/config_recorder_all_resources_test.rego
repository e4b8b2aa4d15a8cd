package cipa.controls.aws.config_recorder_all_resources_test

import data.cipa.controls.aws.config_recorder_all_resources as control

_recorder(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_config_configuration_recorder.r",
		"mode": "managed",
		"type": "aws_config_configuration_recorder",
		"name": "r",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_config_configuration_recorder.r",
		"mode": "managed",
		"type": "aws_config_configuration_recorder",
		"name": "r",
		"expressions": expressions,
	}]}},
}

test_all_resources_pass if {
	group := {"all_supported": true, "include_global_resource_types": true}
	inp := _recorder({"recording_group": [group]}, {}, {"recording_group": [{
		"all_supported": {"constant_value": true},
		"include_global_resource_types": {"constant_value": true},
	}]})
	control.scope["aws_config_configuration_recorder.r"] with input as inp
	not control.fail["aws_config_configuration_recorder.r"] with input as inp
	not control.unknown["aws_config_configuration_recorder.r"] with input as inp
}

test_no_global_resources_fails if {
	inp := _recorder({"recording_group": [{"all_supported": true, "include_global_resource_types": false}]}, {}, {})
	control.fail["aws_config_configuration_recorder.r"] == {"recording_group.include_global_resource_types = false"} with input as inp
}

test_selected_types_fail if {
	group := {"all_supported": false, "include_global_resource_types": true, "resource_types": ["AWS::S3::Bucket"]}
	inp := _recorder({"recording_group": [group]}, {}, {})
	control.fail["aws_config_configuration_recorder.r"] == {"recording_group.all_supported = false"} with input as inp
}

test_computed_recording_group_takes_defaults if {
	inp := _recorder({"name": "default"}, {"recording_group": true}, {"name": {"constant_value": "default"}})
	control.fail["aws_config_configuration_recorder.r"] == {"recording_group.include_global_resource_types = (not set, default false)"} with input as inp
	not control.unknown["aws_config_configuration_recorder.r"] with input as inp
}

test_unknown_setting_is_unknown if {
	inp := _recorder({"recording_group": [{"all_supported": true}]}, {"recording_group": [{"include_global_resource_types": true}]}, {"recording_group": [{
		"all_supported": {"constant_value": true},
		"include_global_resource_types": {"references": ["local.is_home_region"]},
	}]})
	control.unknown["aws_config_configuration_recorder.r"] == {"recording_group.include_global_resource_types is only known after apply"} with input as inp
	not control.fail["aws_config_configuration_recorder.r"] with input as inp
}

test_plan_without_recorder_is_unknown if {
	inp := {"resource_changes": [{
		"address": "aws_s3_bucket.b",
		"mode": "managed",
		"type": "aws_s3_bucket",
		"name": "b",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": {}},
	}]}
	control.unknown.aws_config_configuration_recorder with input as inp
}
