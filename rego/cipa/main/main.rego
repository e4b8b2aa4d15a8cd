# METADATA
# title: Aggregated decisions of every control
# description: |
#   The bundle's single entrypoint. Evaluating it parses the plan once and decides every (control, resource) pair:
#   fail wins over unknown, a resource in scope with neither passes.
package cipa.main

import data.cipa.lib.tfplan

report := {
	"decisions": decisions,
	"resources": count(tfplan.resources),
	"exceptions": {"expired": _expired_exceptions, "stale": _stale_exceptions},
}

# An array, not a set: a set would hash and compare every decision object on insert, which grows faster than
# linearly in Wasm; each (control, resource) pair is produced once anyway.
decisions := [decision |
	some provider, name
	control := data.cipa.controls[provider][name]
	package_path := concat(".", ["cipa.controls", provider, name])
	meta := _meta(package_path)
	id := object.get(meta, "id", package_path)
	some address in control.scope
	[status, messages] := _decide(control, address)
	decision := object.union(
		{
			"control": id,
			"resource": address,
			"resource_type": _resource_type(address, meta),
			"module": object.get(tfplan.resources, [address, "module"], ""),
			"status": status,
			"severity": _severity(id, meta),
			"messages": messages,
		},
		_waiver(id, address, status),
	)
]

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

# --- Exceptions shipped as bundle data (data.cipa.settings.exceptions) --------------------------------------
# The same waivers an OPA server applies: a failing or unknown decision matched by a live exception keeps its
# status and carries the exception (cipa reports it as waived). `expires` is the last day it applies (UTC).

_exceptions := data.cipa.settings.exceptions if is_array(data.cipa.settings.exceptions)

else := []

_waiver(id, address, status) := {"exception": _exceptions[i], "exception_index": i} if {
	status in {"fail", "unknown"}
	matching := [j |
		some j, exception in _exceptions
		_live(exception)
		_matches(exception, id, address)
	]
	count(matching) > 0
	i := min(matching)
} else := {}

_live(exception) if exception.expires >= today

_matches(exception, id, address) if {
	glob.match(_glob_escape(exception.control), [], id)
	_address_matches(exception.resource, address)
}

# Only `*` is special in an address pattern; `**` spans parts. A pattern that names no instance key matches
# every instance: it is compared with the address stripped of its keys.
_address_matches(pattern, address) if {
	not contains(pattern, "[")
	glob.match(_glob_escape(pattern), ["."], _without_keys(address))
}

_address_matches(pattern, address) if {
	contains(pattern, "[")
	glob.match(_glob_escape(pattern), ["."], address)
}

_glob_escape(pattern) := replace(replace(replace(replace(replace(replace(replace(pattern, `\`, `\\`), "?", `\?`), "[", `\[`), "]", `\]`), "{", `\{`), "}", `\}`), ",", `\,`)

_without_keys(address) := concat(".", [m[1] |
	some m in regex.find_all_string_submatch_n(`([^.\[\]]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?`, address, -1)
])

# Today, UTC, as YYYY-MM-DD (time.now_ns and time.date are cipa custom builtins in the Wasm path).
today := concat("-", [format_int(d[0], 10), _two_digits(d[1]), _two_digits(d[2])]) if {
	d := time.date(time.now_ns())
}

_two_digits(n) := concat("", ["0", format_int(n, 10)]) if n < 10

else := format_int(n, 10)

_expired_exceptions := [exception | some exception in _exceptions; not _live(exception)]

_stale_exceptions := [exception |
	used := {decision.exception_index | some decision in decisions; is_number(decision.exception_index)}
	some i, exception in _exceptions
	_live(exception)
	not i in used
]
