# METADATA
# title: EKS clusters log every control plane component
# description: |
#   Every aws_eks_cluster sends all control plane log types to CloudWatch Logs: enabled_cluster_log_types includes
#   api, audit, authenticator, controllerManager and scheduler. The attribute left unset enables none and fails;
#   a list with entries only known after apply, that could complete it, leaves the cluster undecided.
# custom:
#   id: CIPA-AWS-EKS-03
#   severity: medium
#   aliases: [CKV_AWS_37, AVD-AWS-0038]
#   resource_types: [aws_eks_cluster]
#   remediation: |
#     Enable every control plane log type:
#
#       resource "aws_eks_cluster" "this" {
#         # …
#         enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
#       }
package cipa.controls.aws.eks_control_plane_logging

import data.cipa.lib.network
import data.cipa.lib.tfplan

required := {"api", "audit", "authenticator", "controllerManager", "scheduler"}

path := ["enabled_cluster_log_types"]

scope contains address if some address in object.get(tfplan.by_type, "aws_eks_cluster", set())

missing(cluster) := required - {t | some t in network.setting(cluster, path, [])}

fail[address] contains concat("", [_found(cluster), ": missing ", concat(", ", sort(missing(cluster)))]) if {
	some address in scope
	cluster := tfplan.resources[address]
	count(missing(cluster)) > 0
	not network.unknown_in_list(cluster, path)
}

unknown[address] contains "enabled_cluster_log_types is set from a value known only after apply" if {
	some address in scope
	cluster := tfplan.resources[address]
	network.undecided(cluster, path)
}

unknown[address] contains concat("", [
	"enabled_cluster_log_types holds values known only after apply; otherwise missing ",
	concat(", ", sort(missing(cluster))),
]) if {
	some address in scope
	cluster := tfplan.resources[address]
	network.unknown_in_list(cluster, path)
	count(missing(cluster)) > 0
	count(missing(cluster)) <= count(_unknown_entries(cluster))
}

# More missing types than unknown entries: the list cannot be complete.
fail[address] contains concat("", [
	"enabled_cluster_log_types misses ", concat(", ", sort(missing(cluster))), " and has only ",
	format_int(count(_unknown_entries(cluster)), 10), " entries known after apply",
]) if {
	some address in scope
	cluster := tfplan.resources[address]
	network.unknown_in_list(cluster, path)
	not tfplan.is_unknown(cluster, path)
	count(missing(cluster)) > count(_unknown_entries(cluster))
}

_unknown_entries(cluster) := [i |
	some i, flag in object.get(cluster.unknown, path, [])
	flag == true
]

_found(cluster) := concat(" = ", ["enabled_cluster_log_types", tfplan.shown(cluster, path)]) if {
	tfplan.value(cluster, path) != null
} else := "enabled_cluster_log_types is not set"
