package cipa.controls.aws.eks_secrets_encryption_test

import data.cipa.controls.aws.eks_secrets_encryption as control

cluster(after, after_unknown, expressions) := {
	"resource_changes": [{
		"address": "aws_eks_cluster.c", "mode": "managed", "type": "aws_eks_cluster", "name": "c",
		"provider_name": "registry.terraform.io/hashicorp/aws",
		"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_eks_cluster.c", "mode": "managed", "type": "aws_eks_cluster", "name": "c",
		"expressions": expressions,
	}]}},
}

test_secrets_encrypted_passes if {
	p := cluster(
		{"encryption_config": [{"resources": ["secrets"], "provider": [{}]}]},
		{"encryption_config": [{"provider": [{"key_arn": true}], "resources": [false]}]},
		{"encryption_config": [{"resources": {"constant_value": ["secrets"]}, "provider": [{"key_arn": {"references": ["aws_kms_key.eks.arn", "aws_kms_key.eks"]}}]}]},
	)
	control.scope == {"aws_eks_cluster.c"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_no_encryption_config_fails if {
	p := cluster({"encryption_config": []}, {"encryption_config": []}, {})
	control.fail["aws_eks_cluster.c"] with input as p
}

test_other_resources_fail if {
	p := cluster({"encryption_config": [{"resources": ["configmaps"]}]}, {}, {"encryption_config": [{"resources": {"constant_value": ["configmaps"]}}]})
	control.fail["aws_eks_cluster.c"] == {`encryption_config[0].resources = ["configmaps"] does not include "secrets"`} with input as p
}

test_unknown_resources_unknown if {
	p := cluster({"encryption_config": [{}]}, {"encryption_config": [{"resources": true}]}, {"encryption_config": [{"resources": {"references": ["var.encrypted_resources"]}}]})
	control.unknown["aws_eks_cluster.c"] with input as p
	not control.fail["aws_eks_cluster.c"] with input as p
}
