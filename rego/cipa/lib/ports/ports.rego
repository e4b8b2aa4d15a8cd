# METADATA
# title: Ports, protocols and Internet sources of Azure and GCP network rules
# description: |
#   Three-valued matching of Azure NSG rules (inline `security_rule` blocks and `azurerm_network_security_rule`)
#   and GCP firewall rules against an administrative service (SSH, RDP) opened to the Internet. Each criterion of
#   a rule is "yes", "no" or "unknown" (only known after apply); a rule matches when every criterion is "yes" and
#   may match when none is "no". Rule attributes are read at a path inside a resource (`[]` for a rule resource,
#   `["security_rule", i]` for an inline block), so messages can show values with `tfplan.shown`.
# custom:
#   library: true
package cipa.lib.ports

import data.cipa.lib.tfplan

# Administrative services the network controls look for: the port and the transport protocols that carry it.
# RDP also runs over UDP 3389 (RDP 8.0 and later); SSH is TCP only.
services := {
	"ssh": {"port": 22, "protocols": {"tcp"}, "label": "SSH"},
	"rdp": {"port": 3389, "protocols": {"tcp", "udp"}, "label": "RDP"},
}

# --- Ports ---------------------------------------------------------------------------------------------------

# True when a port specification covers the port: "22", "20-30", "*" (Azure's any), or a bare number.
spec_covers(spec, _) if {
	is_string(spec)
	trim_space(spec) in {"*", "any", "Any"}
}

spec_covers(spec, port) if {
	is_number(spec)
	spec == port
}

spec_covers(spec, port) if {
	is_string(spec)
	regex.match(`^\s*[0-9]+\s*$`, spec)
	to_number(trim_space(spec)) == port
}

spec_covers(spec, port) if {
	is_string(spec)
	some bounds in regex.find_all_string_submatch_n(`^\s*([0-9]+)\s*-\s*([0-9]+)\s*$`, spec, 1)
	to_number(bounds[1]) <= port
	port <= to_number(bounds[2])
}

# --- Protocols -----------------------------------------------------------------------------------------------

# Protocol names and IANA numbers as both clouds spell them, lower-cased; "all" for any protocol.
protocol_names := {
	"*": "all", "all": "all", "any": "all",
	"tcp": "tcp", "6": "tcp",
	"udp": "udp", "17": "udp",
	"sctp": "sctp", "132": "sctp",
	"icmp": "icmp", "1": "icmp",
}

normalized_protocol(protocol) := protocol_names[lower(trim_space(protocol))] if is_string(protocol)

else := lower(trim_space(protocol)) if is_string(protocol)

else := format_int(protocol, 10) if is_number(protocol)

else := ""

# True when the protocol can carry the service.
protocol_carries(protocol, _) if normalized_protocol(protocol) == "all"

protocol_carries(protocol, service) if normalized_protocol(protocol) in services[service].protocols

# --- Sources -------------------------------------------------------------------------------------------------

# Address prefixes that mean "anywhere": Azure's service tags and wildcards, and any CIDR of length 0.
internet_words := {"*", "internet", "any", "0.0.0.0", "0.0.0.0/0", "::", "::/0"}

internet_source(prefix) if {
	is_string(prefix)
	lower(trim_space(prefix)) in internet_words
}

internet_source(prefix) if {
	is_string(prefix)
	endswith(trim_space(prefix), "/0")
}

# --- Three-valued criteria -----------------------------------------------------------------------------------

# The verdict of a list of criterion states: "yes" when all are "yes", "no" when one is "no", else "unknown".
verdict(states) := "no" if {
	"no" in states
} else := "unknown" if {
	"unknown" in states
} else := "yes"

_at(path, attribute) := array.concat(path, [attribute])

_string(resource, path) := v if {
	v := tfplan.value(resource, path)
	is_string(v)
} else := ""

# State of "the string attribute equals want (case-insensitive)".
string_state(resource, path, want) := "unknown" if {
	tfplan.is_unknown(resource, path)
} else := "yes" if {
	lower(_string(resource, path)) == lower(want)
} else := "no"

# --- Azure network security rules ---------------------------------------------------------------------------

# Criterion states of an Azure rule at path (a rule resource: [], an inline block: ["security_rule", i]).
azure_rule_states(resource, path, service) := [
	string_state(resource, _at(path, "access"), "allow"),
	string_state(resource, _at(path, "direction"), "inbound"),
	azure_protocol_state(resource, path, service),
	azure_source_state(resource, path),
	azure_port_state(resource, path, service),
]

azure_protocol_state(resource, path, service) := "unknown" if {
	tfplan.is_unknown(resource, _at(path, "protocol"))
} else := "yes" if {
	protocol_carries(tfplan.value(resource, _at(path, "protocol")), service)
} else := "no"

azure_source_state(resource, path) := "yes" if {
	internet_source(tfplan.value(resource, _at(path, "source_address_prefix")))
} else := "yes" if {
	some prefix in _list(tfplan.value(resource, _at(path, "source_address_prefixes")))
	internet_source(prefix)
} else := "unknown" if {
	tfplan.is_unknown(resource, _at(path, "source_address_prefix"))
} else := "unknown" if {
	_list_unknown(resource, _at(path, "source_address_prefixes"))
} else := "no"

azure_port_state(resource, path, service) := "yes" if {
	spec_covers(tfplan.value(resource, _at(path, "destination_port_range")), services[service].port)
} else := "yes" if {
	some spec in _list(tfplan.value(resource, _at(path, "destination_port_ranges")))
	spec_covers(spec, services[service].port)
} else := "unknown" if {
	tfplan.is_unknown(resource, _at(path, "destination_port_range"))
} else := "unknown" if {
	_list_unknown(resource, _at(path, "destination_port_ranges"))
} else := "no"

# Where an Azure rule opens the service: the source, port and protocol attributes it sets, with their values.
azure_rule_detail(resource, path) := concat(", ", [concat(" = ", [attribute, tfplan.shown(resource, _at(path, attribute))]) |
	some attribute in _azure_detail_attributes
	_set_or_unknown(resource, _at(path, attribute))
])

_azure_detail_attributes := [
	"source_address_prefix", "source_address_prefixes",
	"destination_port_range", "destination_port_ranges",
	"protocol",
]

_set_or_unknown(resource, path) if tfplan.is_unknown(resource, path)

_set_or_unknown(resource, path) if {
	v := tfplan.value(resource, path)
	v != null
	v != ""
	v != []
}

# --- GCP firewall rules --------------------------------------------------------------------------------------

# State of "the firewall applies to ingress traffic": direction defaults to INGRESS.
gcp_ingress_state(resource) := "unknown" if {
	not has_setting(resource, "direction", "INGRESS")
} else := "yes" if {
	upper(setting(resource, "direction", "INGRESS")) == "INGRESS"
} else := "no"

# State of "the firewall is enabled": disabled defaults to false.
gcp_enabled_state(resource) := "unknown" if {
	not has_setting(resource, "disabled", false)
} else := "no" if {
	setting(resource, "disabled", false) == true
} else := "yes"

# State of "the firewall admits the whole Internet": a source range of length 0, or no source at all (GCP then
# applies the rule to 0.0.0.0/0).
gcp_source_state(resource) := "yes" if {
	some range in _list(tfplan.value(resource, ["source_ranges"]))
	internet_source(range)
} else := "unknown" if {
	_configured_unknown(resource, "source_ranges")
} else := "no" if {
	gcp_has_source(resource)
} else := "unknown" if {
	not gcp_source_known(resource)
} else := "yes"

# True when the rule names a source: ranges, source tags or source service accounts.
gcp_has_source(resource) if {
	some attribute in {"source_ranges", "source_tags", "source_service_accounts"}
	count(_list(tfplan.value(resource, [attribute]))) > 0
}

# True when every source attribute the configuration sets is known at plan time.
gcp_source_known(resource) if {
	every attribute in {"source_ranges", "source_tags", "source_service_accounts"} {
		not _configured_unknown(resource, attribute)
	}
}

_configured_unknown(resource, attribute) if {
	tfplan.is_configured(resource, attribute)
	_list_unknown(resource, [attribute])
}

# State of "an allow block of the firewall admits the service's port".
gcp_allow_state(resource, service) := "unknown" if {
	tfplan.is_unknown(resource, ["allow"])
} else := verdict_any([gcp_allow_block_state(resource, i, service) |
	some i, _ in _list(tfplan.value(resource, ["allow"]))
])

# "yes" when one state is "yes", "unknown" when none is "yes" but one is "unknown", else "no".
verdict_any(states) := "yes" if {
	"yes" in states
} else := "unknown" if {
	"unknown" in states
} else := "no"

gcp_allow_block_state(resource, i, service) := verdict([
	gcp_block_protocol_state(resource, i, service),
	gcp_block_port_state(resource, i, service),
])

gcp_block_protocol_state(resource, i, service) := "unknown" if {
	tfplan.is_unknown(resource, ["allow", i, "protocol"])
} else := "yes" if {
	protocol_carries(tfplan.value(resource, ["allow", i, "protocol"]), service)
} else := "no"

# No ports (absent, null or empty) means every port of the protocol.
gcp_block_port_state(resource, i, service) := "unknown" if {
	_list_unknown(resource, ["allow", i, "ports"])
} else := "yes" if {
	count(_list(tfplan.value(resource, ["allow", i, "ports"]))) == 0
} else := "yes" if {
	some spec in _list(tfplan.value(resource, ["allow", i, "ports"]))
	spec_covers(spec, services[service].port)
} else := "no"

# Indices of allow blocks that admit (or may admit) the service, for messages.
gcp_matching_blocks(resource, service) := {i |
	some i, _ in _list(tfplan.value(resource, ["allow"]))
	gcp_allow_block_state(resource, i, service) != "no"
}

# --- GCP firewall policy rules ------------------------------------------------------------------------------

# Firewall policy rule types (hierarchical, global network and regional network policies): one `match` block with
# `src_ip_ranges` and `layer4_configs` {ip_protocol, ports}.
gcp_policy_rule_types := [
	"google_compute_firewall_policy_rule",
	"google_compute_network_firewall_policy_rule",
	"google_compute_region_network_firewall_policy_rule",
]

# Criterion states of a firewall policy rule admitting the service from the Internet.
gcp_policy_rule_states(resource, service) := [
	gcp_enabled_state(resource),
	string_state(resource, ["action"], "allow"),
	string_state(resource, ["direction"], "ingress"),
	gcp_policy_source_state(resource),
	gcp_policy_port_state(resource, service),
]

# Only `src_ip_ranges` can name the whole Internet; a rule without them matches on other sources (tags, address
# groups, FQDNs) and is not judged open.
gcp_policy_source_state(resource) := "unknown" if {
	tfplan.is_unknown(resource, ["match"])
} else := "yes" if {
	some range in _list(tfplan.value(resource, ["match", 0, "src_ip_ranges"]))
	internet_source(range)
} else := "unknown" if {
	_list_unknown(resource, ["match", 0, "src_ip_ranges"])
} else := "no"

gcp_policy_port_state(resource, service) := "unknown" if {
	tfplan.is_unknown(resource, ["match"])
} else := "unknown" if {
	tfplan.is_unknown(resource, ["match", 0, "layer4_configs"])
} else := verdict_any([verdict([
	_policy_protocol_state(resource, i, service),
	_policy_ports_state(resource, i, service),
]) |
	some i, _ in _list(tfplan.value(resource, ["match", 0, "layer4_configs"]))
])

_policy_protocol_state(resource, i, service) := "unknown" if {
	tfplan.is_unknown(resource, ["match", 0, "layer4_configs", i, "ip_protocol"])
} else := "yes" if {
	protocol_carries(tfplan.value(resource, ["match", 0, "layer4_configs", i, "ip_protocol"]), service)
} else := "no"

_policy_ports_state(resource, i, service) := "unknown" if {
	_list_unknown(resource, ["match", 0, "layer4_configs", i, "ports"])
} else := "yes" if {
	count(_list(tfplan.value(resource, ["match", 0, "layer4_configs", i, "ports"]))) == 0
} else := "yes" if {
	some spec in _list(tfplan.value(resource, ["match", 0, "layer4_configs", i, "ports"]))
	spec_covers(spec, services[service].port)
} else := "no"

# The match of a policy rule for messages: source ranges and layer 4 configs, field by field.
gcp_policy_detail(resource) := concat("", [
	"action = ", tfplan.shown(resource, ["action"]),
	", match.src_ip_ranges = ", tfplan.shown(resource, ["match", 0, "src_ip_ranges"]),
	", match.layer4_configs = [",
	concat(", ", [concat("", [
		"{ip_protocol = ", tfplan.shown(resource, ["match", 0, "layer4_configs", i, "ip_protocol"]),
		", ports = ", tfplan.shown(resource, ["match", 0, "layer4_configs", i, "ports"]), "}",
	]) |
		some i, _ in _list(tfplan.value(resource, ["match", 0, "layer4_configs"]))
	]),
	"]",
])

# --- Helpers -------------------------------------------------------------------------------------------------

# The planned value of a top-level attribute when known, else the provider default when the configuration leaves
# it unset; undefined when the configuration sets it to a value only known after apply.
setting(resource, attribute, default_value) := v if {
	v := tfplan.value(resource, [attribute])
	v != null
} else := tfplan.effective(resource, attribute, default_value)

# True when setting is defined. (`not f(setting(...))` would hoist the inner call out of the negation.)
has_setting(resource, attribute, default_value) if {
	_ := setting(resource, attribute, default_value)
}

_list(x) := x if is_array(x)

else := [y | some y in x] if is_set(x)

else := []

# True when a list attribute, or one of its elements, is only known after apply.
_list_unknown(resource, path) if tfplan.is_unknown(resource, path)

_list_unknown(resource, path) if {
	some flag in _list(object.get(resource.unknown, path, []))
	flag == true
}
