package cipa.controls.aws.eks_control_plane_logging_test

import data.cipa.controls.aws.eks_control_plane_logging as control

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

all_types := ["api", "audit", "authenticator", "controllerManager", "scheduler"]

test_all_types_pass if {
	p := cluster({"enabled_cluster_log_types": all_types}, {}, {"enabled_cluster_log_types": {"constant_value": all_types}})
	control.scope == {"aws_eks_cluster.c"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_partial_fails if {
	p := cluster({"enabled_cluster_log_types": ["api", "audit"]}, {"enabled_cluster_log_types": [false, false]}, {"enabled_cluster_log_types": {"constant_value": ["audit", "api"]}})
	control.fail["aws_eks_cluster.c"] == {`enabled_cluster_log_types = ["api", "audit"]: missing authenticator, controllerManager, scheduler`} with input as p
}

test_not_set_fails if {
	p := cluster({"enabled_cluster_log_types": null}, {}, {})
	control.fail["aws_eks_cluster.c"] == {"enabled_cluster_log_types is not set: missing api, audit, authenticator, controllerManager, scheduler"} with input as p
}

test_whole_unknown_is_unknown if {
	p := cluster({}, {"enabled_cluster_log_types": true}, {"enabled_cluster_log_types": {"references": ["var.log_types"]}})
	control.unknown["aws_eks_cluster.c"] with input as p
	not control.fail["aws_eks_cluster.c"] with input as p
}

test_unknown_entry_could_complete if {
	p := cluster(
		{"enabled_cluster_log_types": ["api", "audit", "authenticator", "controllerManager", null]},
		{"enabled_cluster_log_types": [false, false, false, false, true]},
		{"enabled_cluster_log_types": {"references": ["local.last_type"]}},
	)
	control.unknown["aws_eks_cluster.c"] with input as p
	not control.fail["aws_eks_cluster.c"] with input as p
}

test_too_few_unknown_entries_fail if {
	p := cluster(
		{"enabled_cluster_log_types": ["api", null]},
		{"enabled_cluster_log_types": [false, true]},
		{"enabled_cluster_log_types": {"references": ["local.second"]}},
	)
	control.fail["aws_eks_cluster.c"] with input as p
}
