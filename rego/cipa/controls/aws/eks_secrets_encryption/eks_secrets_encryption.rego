# METADATA
# title: EKS clusters encrypt Kubernetes secrets with a KMS key
# description: |
#   Every aws_eks_cluster has an encryption_config whose resources include "secrets", so that Kubernetes secrets
#   are envelope-encrypted with a customer managed KMS key (the AWS owned key EKS applies by default is not under
#   the customer's control and does not count). A cluster without encryption_config fails; resources only known
#   after apply leave it undecided.
# custom:
#   id: CIPA-AWS-EKS-02
#   severity: high
#   aliases: [CKV_AWS_58, AVD-AWS-0039]
#   resource_types: [aws_eks_cluster]
#   remediation: |
#     Envelope-encrypt secrets with a customer managed key:
#
#       resource "aws_eks_cluster" "this" {
#         # …
#         encryption_config {
#           resources = ["secrets"]
#           provider {
#             key_arn = aws_kms_key.eks.arn
#           }
#         }
#       }
package cipa.controls.aws.eks_secrets_encryption

import data.cipa.lib.network
import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_eks_cluster", set())

fail[address] contains message if {
	some address in scope
	cluster := tfplan.resources[address]
	not _encrypts_secrets(cluster)
	not _undecided(cluster)
	message := _message(cluster)
}

unknown[address] contains message if {
	some address in scope
	cluster := tfplan.resources[address]
	not _encrypts_secrets(cluster)
	some message in _undecided_messages(cluster)
}

_configs(cluster) := configs if {
	configs := tfplan.value(cluster, ["encryption_config"])
	is_array(configs)
} else := []

_encrypts_secrets(cluster) if {
	some config in _configs(cluster)
	"secrets" in object.get(config, "resources", [])
}

_undecided(cluster) if count(_undecided_messages(cluster)) > 0

_undecided_messages(cluster) := {concat("", [network.path_label(path), " is set from a value known only after apply"]) |
	some path in array.concat([["encryption_config"]], [["encryption_config", i, "resources"] | some i, _ in _configs(cluster)])
	network.configured_at(cluster, path)
	network.unknown_in_list(cluster, path)
}

_message(cluster) := "encryption_config is not set: Kubernetes secrets are not envelope-encrypted with a customer managed KMS key" if {
	count(_configs(cluster)) == 0
} else := concat("", ["encryption_config[0].resources = ", tfplan.shown(cluster, ["encryption_config", 0, "resources"]), ` does not include "secrets"`])
