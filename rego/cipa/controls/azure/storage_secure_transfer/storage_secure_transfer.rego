# METADATA
# title: Storage accounts require secure transfer
# description: |
#   A storage account accepts requests over HTTPS only. azurerm 3.x names the setting `enable_https_traffic_only`,
#   azurerm 4.x `https_traffic_only_enabled`; both default to true, so an account that leaves them unset passes and
#   one that sets either to false fails. A setting configured from a value only known after apply is unknown.
# custom:
#   id: CIPA-AZURE-ST-01
#   severity: high
#   frameworks:
#     cis-azure-1.3: ["3.1"]
#     cis-azure-2.0: ["3.1"]
#   aliases: [CKV_AZURE_3, AVD-AZU-0008]
#   resource_types: [azurerm_storage_account]
#   remediation: |
#     Leave secure transfer at its default, or set it explicitly (azurerm 4.x):
#
#       resource "azurerm_storage_account" "this" {
#         # ...
#         https_traffic_only_enabled = true
#       }
#
#     With azurerm 3.x the argument is `enable_https_traffic_only = true`.
package cipa.controls.azure.storage_secure_transfer

import data.cipa.lib.tfplan

attributes := ["enable_https_traffic_only", "https_traffic_only_enabled"]

scope contains address if some address in tfplan.by_type.azurerm_storage_account

fail[address] contains concat("", [attribute, " = ", tfplan.shown(resource, [attribute]), ": the account accepts plain HTTP"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some attribute in attributes
	_setting(resource, attribute) == false
}

unknown[address] contains concat("", [attribute, " is set in the configuration but only known after apply"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some attribute in attributes
	not _has_setting(resource, attribute)
}

# The planned value when known, else the provider default (true) when the configuration leaves it unset.
_setting(resource, attribute) := v if {
	v := tfplan.value(resource, [attribute])
	v != null
} else := tfplan.effective(resource, attribute, true)

_has_setting(resource, attribute) if {
	_ := _setting(resource, attribute)
}
