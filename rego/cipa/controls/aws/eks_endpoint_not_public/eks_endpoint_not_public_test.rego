package cipa.controls.aws.eks_endpoint_not_public_test

import data.cipa.controls.aws.eks_endpoint_not_public as control

cluster(vpc_config, vpc_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_eks_cluster.c", "mode": "managed", "type": "aws_eks_cluster", "name": "c",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": {"vpc_config": [vpc_config]}, "after_unknown": {"vpc_config": [vpc_unknown]}, "after_sensitive": {}},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_eks_cluster.c", "mode": "managed", "type": "aws_eks_cluster", "name": "c",
		"expressions": {"vpc_config": [expressions]},
	}]}},
}

test_defaults_fail if {
	p := cluster({"endpoint_public_access": true, "subnet_ids": ["subnet-1"]}, {"public_access_cidrs": true}, {"subnet_ids": {"constant_value": ["subnet-1"]}})
	control.fail["aws_eks_cluster.c"] == {`vpc_config[0].endpoint_public_access = true and vpc_config[0].public_access_cidrs is not set and defaults to ["0.0.0.0/0"]`} with input as p
}

test_private_endpoint_passes if {
	p := cluster({"endpoint_public_access": false}, {"public_access_cidrs": true}, {"endpoint_public_access": {"constant_value": false}})
	control.scope == {"aws_eks_cluster.c"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_restricted_cidrs_pass if {
	p := cluster({"endpoint_public_access": true, "public_access_cidrs": ["203.0.113.0/24"]}, {}, {"public_access_cidrs": {"constant_value": ["203.0.113.0/24"]}})
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_explicit_world_fails if {
	p := cluster({"endpoint_public_access": true, "public_access_cidrs": ["10.0.0.0/8", "0.0.0.0/0"]}, {}, {"public_access_cidrs": {"constant_value": ["10.0.0.0/8", "0.0.0.0/0"]}})
	control.fail["aws_eks_cluster.c"] with input as p
}

test_unknown_cidrs_unknown if {
	p := cluster({"endpoint_public_access": true}, {"public_access_cidrs": true}, {"public_access_cidrs": {"references": ["aws_eip.nat.public_ip"]}})
	control.unknown["aws_eks_cluster.c"] with input as p
	not control.fail["aws_eks_cluster.c"] with input as p
}

test_unknown_public_with_world_default_unknown if {
	p := cluster({}, {"endpoint_public_access": true, "public_access_cidrs": true}, {"endpoint_public_access": {"references": ["data.aws_ssm_parameter.public.value"]}})
	control.unknown["aws_eks_cluster.c"] with input as p
}

test_unknown_public_with_restricted_cidrs_passes if {
	p := cluster({"public_access_cidrs": ["203.0.113.0/24"]}, {"endpoint_public_access": true}, {"endpoint_public_access": {"references": ["data.aws_ssm_parameter.public.value"]}})
	count(control.unknown) == 0 with input as p
	count(control.fail) == 0 with input as p
}
