# METADATA
# title: VPC subnets have flow logs
# description: |
#   Every `google_compute_subnetwork` records VPC flow logs: it has a `log_config` block (google provider 3.x and
#   later) or the legacy `enable_flow_logs = true`, and the block does not set `flow_sampling = 0` (which records
#   nothing). Proxy-only and Private Service Connect subnets (`purpose` REGIONAL_MANAGED_PROXY,
#   GLOBAL_MANAGED_PROXY, INTERNAL_HTTPS_LOAD_BALANCER, PRIVATE_SERVICE_CONNECT, PRIVATE_NAT) cannot have flow
#   logs and are out of scope. A `log_config` set in the configuration but only known after apply is unknown.
#   CIS also recommends a 5-second aggregation interval, full sampling and all metadata; this control asks for
#   flow logs to be on.
# custom:
#   id: CIPA-GCP-NET-03
#   severity: medium
#   frameworks:
#     cis-gcp-1.3: ["3.8"]
#     cis-gcp-2.0: ["3.8"]
#   aliases: [CKV_GCP_26, AVD-GCP-0029]
#   resource_types: [google_compute_subnetwork]
#   remediation: |
#     Add a log_config block to the subnet:
#
#       resource "google_compute_subnetwork" "this" {
#         # ...
#         log_config {
#           aggregation_interval = "INTERVAL_5_SEC"
#           flow_sampling        = 1.0
#           metadata             = "INCLUDE_ALL_METADATA"
#         }
#       }
package cipa.controls.gcp.subnet_flow_logs

import data.cipa.lib.tfplan

no_flow_logs_purposes := {
	"REGIONAL_MANAGED_PROXY", "GLOBAL_MANAGED_PROXY", "INTERNAL_HTTPS_LOAD_BALANCER",
	"PRIVATE_SERVICE_CONNECT", "PRIVATE_NAT",
}

scope contains address if {
	some address in tfplan.by_type.google_compute_subnetwork
	purpose := tfplan.value(tfplan.resources[address], ["purpose"])
	not purpose in no_flow_logs_purposes
}

fail[address] contains "log_config is not set: the subnet records no VPC flow logs" if {
	some address in scope
	resource := tfplan.resources[address]
	not _legacy_enabled(resource)
	not tfplan.is_unknown(resource, ["log_config"])
	count(_blocks(resource)) == 0
}

fail[address] contains concat("", ["log_config.flow_sampling = ", tfplan.shown(resource, ["log_config", i, "flow_sampling"]), ": the subnet samples no flows"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some i, block in _blocks(resource)
	block.flow_sampling == 0
}

unknown[address] contains "log_config is set in the configuration but only known after apply" if {
	some address in scope
	resource := tfplan.resources[address]
	not _legacy_enabled(resource)
	tfplan.is_unknown(resource, ["log_config"])
	tfplan.is_configured(resource, "log_config")
}

unknown[address] contains "log_config.flow_sampling is only known after apply" if {
	some address in scope
	resource := tfplan.resources[address]
	some i, _ in _blocks(resource)
	tfplan.is_unknown(resource, ["log_config", i, "flow_sampling"])
}

_blocks(resource) := blocks if {
	blocks := tfplan.value(resource, ["log_config"])
	is_array(blocks)
} else := []

_legacy_enabled(resource) if tfplan.value(resource, ["enable_flow_logs"]) == true
