# METADATA
# title: Symmetric KMS customer keys rotate automatically
# description: |
#   Every symmetric customer managed key (key_usage ENCRYPT_DECRYPT and customer_master_key_spec
#   SYMMETRIC_DEFAULT, both the provider defaults) sets enable_key_rotation = true; the default is false.
#   Asymmetric and HMAC keys cannot rotate automatically and are out of scope. A key whose usage, spec or
#   rotation setting is only known after apply is undecided.
# custom:
#   id: CIPA-AWS-KMS-01
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["3.8"]
#   aliases: [CKV_AWS_7, AVD-AWS-0065]
#   resource_types: [aws_kms_key]
#   remediation: |
#     Turn on automatic rotation for the key:
#
#       resource "aws_kms_key" "this" {
#         description         = "application data"
#         enable_key_rotation = true
#       }
package cipa.controls.aws.kms_key_rotation_enabled

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

# Keys that are, or may be, symmetric encryption keys.
scope contains address if {
	some address in tfplan.by_type.aws_kms_key
	key := tfplan.resources[address]
	not _out_of_scope(key)
}

fail[address] contains concat("", ["enable_key_rotation = ", tfplan.shown(key, ["enable_key_rotation"]), " (default false)"]) if {
	some address in scope
	key := tfplan.resources[address]
	_symmetric(key)
	aws_policy.effective_at(key, ["enable_key_rotation"], false) != true
}

unknown[address] contains "enable_key_rotation is only known after apply" if {
	some address in scope
	key := tfplan.resources[address]
	aws_policy.undecided_at(key, ["enable_key_rotation"])
}

unknown[address] contains concat("", [attribute, " is only known after apply"]) if {
	some address in scope
	key := tfplan.resources[address]
	aws_policy.effective_at(key, ["enable_key_rotation"], false) != true
	some attribute in ["key_usage", "customer_master_key_spec"]
	aws_policy.undecided_at(key, [attribute])
}

_symmetric(key) if {
	aws_policy.effective_at(key, ["key_usage"], "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"
	aws_policy.effective_at(key, ["customer_master_key_spec"], "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
}

# Known to be asymmetric or HMAC (or a key for signing or MAC generation).
_out_of_scope(key) if aws_policy.effective_at(key, ["key_usage"], "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT"

_out_of_scope(key) if aws_policy.effective_at(key, ["customer_master_key_spec"], "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT"
