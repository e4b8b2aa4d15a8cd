# METADATA
# title: Database firewall rules do not admit the Internet or all of Azure
# description: |
#   A server-level firewall rule of Azure SQL, SQL Database (mssql), MySQL, PostgreSQL (single and flexible
#   servers), MariaDB or Synapse fails when its range starts at 0.0.0.0 or ends at 255.255.255.255. 0.0.0.0–0.0.0.0
#   is Azure's "Allow Azure services and resources to access this server" switch (AllowAllWindowsAzureIps): it
#   admits every Azure tenant, not only the organisation's, so it fails too; use private endpoints or virtual
#   network rules instead. A bound only known after apply leaves the rule unknown unless the other bound already
#   fails it.
# custom:
#   id: CIPA-AZURE-SQL-01
#   severity: critical
#   frameworks:
#     cis-azure-1.3: ["6.3"]
#     cis-azure-2.0: ["4.1.2"]
#   aliases: [CKV_AZURE_11, AVD-AZU-0029]
#   resource_types:
#     - azurerm_sql_firewall_rule
#     - azurerm_mssql_firewall_rule
#     - azurerm_mysql_firewall_rule
#     - azurerm_mysql_flexible_server_firewall_rule
#     - azurerm_postgresql_firewall_rule
#     - azurerm_postgresql_flexible_server_firewall_rule
#     - azurerm_mariadb_firewall_rule
#     - azurerm_synapse_firewall_rule
#   remediation: |
#     Admit only the addresses that need the database, or remove the rule and reach the server through a private
#     endpoint:
#
#       resource "azurerm_mssql_firewall_rule" "office" {
#         name             = "office"
#         server_id        = azurerm_mssql_server.this.id
#         start_ip_address = "203.0.113.0"
#         end_ip_address   = "203.0.113.255"
#       }
package cipa.controls.azure.sql_firewall_open_to_all

import data.cipa.lib.tfplan

rule_types := [
	"azurerm_sql_firewall_rule",
	"azurerm_mssql_firewall_rule",
	"azurerm_mysql_firewall_rule",
	"azurerm_mysql_flexible_server_firewall_rule",
	"azurerm_postgresql_firewall_rule",
	"azurerm_postgresql_flexible_server_firewall_rule",
	"azurerm_mariadb_firewall_rule",
	"azurerm_synapse_firewall_rule",
]

scope contains address if {
	some type in rule_types
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains concat("", [
	"start_ip_address = ", tfplan.shown(resource, ["start_ip_address"]),
	", end_ip_address = ", tfplan.shown(resource, ["end_ip_address"]),
	": ", _why(resource),
]) if {
	some address in scope
	resource := tfplan.resources[address]
	_open(resource)
}

unknown[address] contains concat("", [
	"start_ip_address = ", tfplan.shown(resource, ["start_ip_address"]),
	", end_ip_address = ", tfplan.shown(resource, ["end_ip_address"]),
	": the range is only known after apply",
]) if {
	some address in scope
	resource := tfplan.resources[address]
	some bound in ["start_ip_address", "end_ip_address"]
	tfplan.is_unknown(resource, [bound])
}

_open(resource) if _bound(resource, "start_ip_address") == "0.0.0.0"

_open(resource) if _bound(resource, "end_ip_address") == "255.255.255.255"

_bound(resource, attribute) := trim_space(v) if {
	v := tfplan.value(resource, [attribute])
	is_string(v)
}

_why(resource) := "the range admits every Azure service of every tenant (Allow Azure services)" if {
	_bound(resource, "start_ip_address") == "0.0.0.0"
	_bound(resource, "end_ip_address") == "0.0.0.0"
} else := "the range admits the Internet"
