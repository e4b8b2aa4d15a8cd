# METADATA
# title: Storage accounts require TLS 1.2 or later
# description: |
#   A storage account's `min_tls_version` is `TLS1_2` or later. The planned value decides when the plan shows one
#   (providers fill in their default: azurerm 2.x `TLS1_0`, azurerm 3.x and 4.x `TLS1_2`); when the plan has none
#   and the configuration leaves it unset, the azurerm 3.x/4.x default `TLS1_2` is assumed. Any other value
#   (`TLS1_0`, `TLS1_1`, an unrecognised string) fails. A value configured but only known after apply is unknown.
# custom:
#   id: CIPA-AZURE-ST-02
#   severity: medium
#   frameworks:
#     cis-azure-2.0: ["3.15"]
#     cis-azure-3.0: ["4.15"]
#   aliases: [CKV_AZURE_44, AVD-AZU-0011]
#   resource_types: [azurerm_storage_account]
#   remediation: |
#     Require TLS 1.2 on the account:
#
#       resource "azurerm_storage_account" "this" {
#         # ...
#         min_tls_version = "TLS1_2"
#       }
package cipa.controls.azure.storage_min_tls

import data.cipa.lib.tfplan

provider_default := "TLS1_2"

accepted := {"TLS1_2", "TLS1_3"}

scope contains address if some address in tfplan.by_type.azurerm_storage_account

fail[address] contains concat("", ["min_tls_version = ", _shown(resource), ": the account accepts TLS older than 1.2"]) if {
	some address in scope
	resource := tfplan.resources[address]
	v := _setting(resource)
	not v in accepted
}

unknown[address] contains "min_tls_version is set in the configuration but only known after apply" if {
	some address in scope
	resource := tfplan.resources[address]
	not _has_setting(resource)
}

_shown(resource) := tfplan.shown(resource, ["min_tls_version"]) if {
	tfplan.value(resource, ["min_tls_version"]) != null
} else := concat("", ["(not set, provider default ", provider_default, ")"])

_setting(resource) := v if {
	v := tfplan.value(resource, ["min_tls_version"])
	v != null
} else := tfplan.effective(resource, "min_tls_version", provider_default)

_has_setting(resource) if {
	_ := _setting(resource)
}
