# METADATA
# title: EKS API endpoints are not open to the internet
# description: |
#   The Kubernetes API endpoint of every aws_eks_cluster is private, or public only to listed networks: it fails
#   when vpc_config.endpoint_public_access is true (the default) and vpc_config.public_access_cidrs includes
#   0.0.0.0/0 or ::/0 (the default is ["0.0.0.0/0"]). Either setting set from a value known only after apply, in
#   a way that could open the endpoint, leaves the cluster undecided.
# custom:
#   id: CIPA-AWS-EKS-01
#   severity: high
#   aliases: [CKV_AWS_39, CKV_AWS_38, AVD-AWS-0040, AVD-AWS-0041]
#   resource_types: [aws_eks_cluster]
#   remediation: |
#     Turn the public endpoint off, or restrict it to known networks:
#
#       resource "aws_eks_cluster" "this" {
#         # …
#         vpc_config {
#           subnet_ids              = var.private_subnet_ids
#           endpoint_private_access = true
#           endpoint_public_access  = false
#         }
#       }
package cipa.controls.aws.eks_endpoint_not_public

import data.cipa.lib.network
import data.cipa.lib.tfplan

public_path := ["vpc_config", 0, "endpoint_public_access"]

cidrs_path := ["vpc_config", 0, "public_access_cidrs"]

scope contains address if some address in object.get(tfplan.by_type, "aws_eks_cluster", set())

public(cluster) := network.setting(cluster, public_path, true)

cidrs(cluster) := network.setting(cluster, cidrs_path, ["0.0.0.0/0"])

fail[address] contains concat(" and ", [_shown(cluster, public_path, "true"), _shown(cluster, cidrs_path, `["0.0.0.0/0"]`)]) if {
	some address in scope
	cluster := tfplan.resources[address]
	public(cluster) == true
	_open(cidrs(cluster))
}

unknown[address] contains concat("", [network.path_label(public_path), " is set from a value known only after apply"]) if {
	some address in scope
	cluster := tfplan.resources[address]
	network.undecided(cluster, public_path)
	not _closed(cluster)
}

unknown[address] contains concat("", [network.path_label(cidrs_path), " is set from a value known only after apply"]) if {
	some address in scope
	cluster := tfplan.resources[address]
	not _private(cluster)
	network.undecided(cluster, cidrs_path)
}

unknown[address] contains concat("", [network.path_label(cidrs_path), " holds values known only after apply"]) if {
	some address in scope
	cluster := tfplan.resources[address]
	not _private(cluster)
	_ := cidrs(cluster)
	network.unknown_in_list(cluster, cidrs_path)
}

_private(cluster) if public(cluster) == false

_open(cidrs) if {
	some cidr in cidrs
	network.is_anywhere(cidr)
}

# The endpoint is closed to the internet whatever endpoint_public_access turns out to be.
_closed(cluster) if {
	list := cidrs(cluster)
	not _open(list)
	not network.unknown_in_list(cluster, cidrs_path)
}

_shown(cluster, path, default_text) := concat(" = ", [network.path_label(path), network.shown_list(cluster, path)]) if {
	tfplan.value(cluster, path) != null
} else := concat("", [network.path_label(path), " is not set and defaults to ", default_text])
