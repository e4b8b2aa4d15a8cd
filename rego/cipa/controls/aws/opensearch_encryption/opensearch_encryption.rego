# METADATA
# title: OpenSearch and Elasticsearch domains encrypt data at rest and in transit
# description: |
#   Every aws_opensearch_domain and aws_elasticsearch_domain enables encryption at rest
#   (encrypt_at_rest { enabled = true }), node-to-node encryption (node_to_node_encryption { enabled = true }) and
#   requires HTTPS (domain_endpoint_options { enforce_https = true }). Missing blocks take the AWS defaults, all
#   off; inside a declared domain_endpoint_options block, enforce_https left unset takes the provider default,
#   true. A setting only known after apply leaves the domain undecided, unless another setting already fails it.
# custom:
#   id: CIPA-AWS-ES-01
#   severity: high
#   aliases: [CKV_AWS_5, CKV_AWS_6, CKV_AWS_83, AVD-AWS-0048, AVD-AWS-0043, AVD-AWS-0046]
#   resource_types: [aws_opensearch_domain, aws_elasticsearch_domain]
#   remediation: |
#     Turn on all three (encryption at rest and node-to-node encryption can only be turned on, not off):
#
#       resource "aws_opensearch_domain" "this" {
#         # ...
#         encrypt_at_rest {
#           enabled = true
#         }
#         node_to_node_encryption {
#           enabled = true
#         }
#         domain_endpoint_options {
#           enforce_https       = true
#           tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
#         }
#       }
package cipa.controls.aws.opensearch_encryption

import data.cipa.lib.tfplan

types := {"aws_opensearch_domain", "aws_elasticsearch_domain"}

# Each setting: the block, its attribute, the value when the block is absent and when the block is declared
# without the attribute.
settings := [
	{"block": "encrypt_at_rest", "attribute": "enabled", "absent": false, "declared": false},
	{"block": "node_to_node_encryption", "attribute": "enabled", "absent": false, "declared": false},
	{"block": "domain_endpoint_options", "attribute": "enforce_https", "absent": false, "declared": true},
]

scope contains address if {
	some type in types
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains _message(resource, setting) if {
	some address in scope
	resource := tfplan.resources[address]
	some setting in settings
	_value(resource, setting) == false
}

unknown[address] contains concat("", [setting.block, ".", setting.attribute, " is only known after apply"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some setting in settings
	not _decided(resource, setting)
}

_decided(resource, setting) if _value(resource, setting) != null

_value(resource, setting) := setting.absent if {
	not tfplan.is_configured(resource, setting.block)
} else := v if {
	v := tfplan.value(resource, [setting.block, 0, setting.attribute])
	v != null
} else := setting.declared if {
	not _attribute_unknown(resource, setting)
}

# Only known after apply, and set in the configuration (an attribute left unset inside a declared block takes the
# declared-block default even when the provider marks it computed).
_attribute_unknown(resource, setting) if {
	tfplan.is_unknown(resource, [setting.block, 0, setting.attribute])
	not _unset_in_configuration(resource, setting)
}

_unset_in_configuration(resource, setting) if {
	block := tfplan.config(resource)
	object.get(block, ["expressions", setting.block, 0, setting.attribute], null) == null
}

_message(resource, setting) := concat("", [setting.block, " is not set (", setting.attribute, " is off by default)"]) if {
	not tfplan.is_configured(resource, setting.block)
} else := concat("", [setting.block, ".", setting.attribute, " = ", tfplan.shown(resource, path)]) if {
	path := [setting.block, 0, setting.attribute]
	tfplan.value(resource, path) != null
} else := concat("", [setting.block, ".", setting.attribute, " = false"])
