# METADATA
# title: Aggregated decisions of every control
# description: |
#   The bundle's single entrypoint. Evaluating it parses the plan once and decides every (control, resource) pair:
#   fail wins over unknown, a resource in scope with neither passes.
# entrypoint: true
package cipa.main

import data.cipa.lib.tfplan

report := {"decisions": decisions, "resources": count(tfplan.resources)}

decisions contains decision if {
	some provider, name
	control := data.cipa.controls[provider][name]
	package_path := concat(".", ["cipa.controls", provider, name])
	meta := _meta(package_path)
	id := object.get(meta, "id", package_path)
	some address in control.scope
	[status, messages] := _decide(control, address)
	decision := {
		"control": id,
		"resource": address,
		"resource_type": _resource_type(address, meta),
		"module": object.get(tfplan.resources, [address, "module"], ""),
		"status": status,
		"severity": _severity(id, meta),
		"messages": messages,
	}
}

_decide(control, address) := ["fail", control.fail[address]] if {
	control.fail[address]
} else := ["unknown", control.unknown[address]] if {
	control.unknown[address]
} else := ["pass", set()]

_meta(package_path) := meta if {
	meta := data.cipa.catalog.controls[package_path]
} else := {}

# An organisation may change a control's severity by data, without touching Rego.
_severity(id, meta) := severity if {
	severity := data.cipa.settings.severity_overrides[id]
} else := object.get(meta, "severity", "info")

# Account-level controls decide on settings the plan may not manage; their scope names the setting's resource
# type rather than an instance.
_resource_type(address, _) := tfplan.resources[address].type

_resource_type(address, meta) := object.get(meta, ["resource_types", 0], address) if not tfplan.resources[address]
