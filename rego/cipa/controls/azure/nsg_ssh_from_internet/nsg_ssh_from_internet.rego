# METADATA
# title: Network security groups do not allow SSH from the Internet
# description: |
#   No inbound Allow rule of a network security group admits TCP port 22 from the Internet: a source address
#   prefix of `*`, `Internet`, `Any`, `0.0.0.0`, or any CIDR of length 0 (`0.0.0.0/0`, `::/0`), in
#   `source_address_prefix` or `source_address_prefixes`; a destination port of `*`, `22`, a range containing 22
#   (`20-30`), in `destination_port_range` or `destination_port_ranges`; protocol `Tcp` or `*`. Inline
#   `security_rule` blocks are reported on the `azurerm_network_security_group`, rule resources on the
#   `azurerm_network_security_rule`. A group whose rules all come from separate rule resources has no inline rules
#   to judge and passes. Rule priorities are not weighed: an Allow rule is reported even when a Deny rule with a
#   lower priority number shadows it. A rule whose deciding attribute is only known after apply is unknown.
# custom:
#   id: CIPA-AZURE-NET-01
#   severity: critical
#   frameworks:
#     cis-azure-1.3: ["6.2"]
#     cis-azure-2.0: ["6.2"]
#   aliases: [CKV_AZURE_10, AVD-AZU-0050]
#   resource_types: [azurerm_network_security_group, azurerm_network_security_rule]
#   remediation: |
#     Restrict the rule's source to the networks that administer the machines (a bastion subnet or a VPN range),
#     or remove it and use Azure Bastion:
#
#       resource "azurerm_network_security_rule" "ssh" {
#         name                        = "ssh-from-bastion"
#         priority                    = 100
#         direction                   = "Inbound"
#         access                      = "Allow"
#         protocol                    = "Tcp"
#         source_port_range           = "*"
#         destination_port_range      = "22"
#         source_address_prefix       = "10.0.250.0/24"
#         destination_address_prefix  = "VirtualNetwork"
#         resource_group_name         = azurerm_resource_group.this.name
#         network_security_group_name = azurerm_network_security_group.this.name
#       }
package cipa.controls.azure.nsg_ssh_from_internet

import data.cipa.lib.ports
import data.cipa.lib.tfplan

service := "ssh"

scope contains address if some address in tfplan.by_type.azurerm_network_security_group

scope contains address if some address in tfplan.by_type.azurerm_network_security_rule

fail[address] contains concat("", [_where(resource, path), " allows SSH (port 22) from the Internet: ", ports.azure_rule_detail(resource, path)]) if {
	some [address, path] in _rules
	resource := tfplan.resources[address]
	ports.verdict(ports.azure_rule_states(resource, path, service)) == "yes"
}

unknown[address] contains concat("", [_where(resource, path), " may allow SSH (port 22) from the Internet: a deciding attribute is only known after apply (", ports.azure_rule_detail(resource, path), ")"]) if {
	some [address, path] in _rules
	resource := tfplan.resources[address]
	ports.verdict(ports.azure_rule_states(resource, path, service)) == "unknown"
}

unknown[address] contains "security_rule is set in the configuration but only known after apply" if {
	some address in tfplan.by_type.azurerm_network_security_group
	resource := tfplan.resources[address]
	tfplan.is_unknown(resource, ["security_rule"])
	tfplan.is_configured(resource, "security_rule")
}

# Every rule to judge, as [address, path of the rule inside the resource].
_rules contains [address, []] if some address in tfplan.by_type.azurerm_network_security_rule

_rules contains [address, ["security_rule", i]] if {
	some address in tfplan.by_type.azurerm_network_security_group
	rules := tfplan.value(tfplan.resources[address], ["security_rule"])
	is_array(rules)
	some i, _ in rules
}

_where(_, []) := "the rule"

_where(resource, ["security_rule", i]) := concat("", ["security_rule ", tfplan.shown(resource, ["security_rule", i, "name"])])
