# METADATA
# title: Network rules and nested settings
# description: |
#   Helpers shared by the network and compute controls: protocol and port-range membership, "anywhere" CIDRs, a
#   uniform view of AWS security group ingress rules (inline `ingress` blocks of aws_security_group and
#   aws_default_security_group, aws_security_group_rule of type ingress, and the provider v5
#   aws_vpc_security_group_ingress_rule) and of network ACL ingress rules (inline blocks of aws_network_acl and
#   aws_default_network_acl, aws_network_acl_rule with egress = false), and three-valued readings of settings at
#   nested paths (e.g. metadata_options[0].http_tokens). Three-valued answers are the strings "yes", "no" and
#   "maybe" ("maybe" when a deciding value is only known after apply).
# custom:
#   library: true
package cipa.lib.network

import data.cipa.lib.tfplan

# --- CIDRs and protocols -----------------------------------------------------------------------------------

# CIDRs that mean "any address".
anywhere_cidrs := {"0.0.0.0/0", "::/0", "::0/0", "0::0/0"}

is_anywhere(cidr) if {
	is_string(cidr)
	trim_space(cidr) in anywhere_cidrs
}

# Canonical protocol name: "all" (-1), "tcp" (6), "udp" (17), "icmp" (1), "icmpv6" (58), or the lower-cased
# value as given (a name or an IANA number).
# Total: "" for a value that is neither a string nor a number. (Keep it total: `not f(x) in s` is false, not true,
# when f(x) is undefined.)
protocol_name(p) := object.get(_protocol_names, _protocol_string(p), _protocol_string(p))

_protocol_string(p) := lower(trim_space(p)) if {
	is_string(p)
} else := format_int(p, 10) if {
	is_number(p)
} else := ""

_protocol_names := {
	"-1": "all",
	"all": "all",
	"6": "tcp",
	"17": "udp",
	"1": "icmp",
	"58": "icmpv6",
}

# --- Rule view ---------------------------------------------------------------------------------------------
#
# A rule is an object:
#   resource      address of the resource that carries the rule (the rule resource, or the group / ACL for inline
#                 blocks)
#   path          path of the rule inside that resource ([] for rule resources, ["ingress", i] for inline blocks)
#   certain       false when the rule's direction (type, egress) or action is only known after apply
#   protocol      the protocol value, null when absent or unknown; protocol_path its path
#   from_port, to_port   port values, null when absent or unknown; from_path, to_path their paths
#   sources       known source CIDRs; source_paths the attributes holding them
#   unknown       the set of fields only known after apply, among "protocol", "ports", "sources"

# Security group ingress rules of every kind.
sg_ingress_rules contains rule if {
	some type in ["aws_security_group", "aws_default_security_group"]
	some address in object.get(tfplan.by_type, type, set())
	resource := tfplan.resources[address]
	some rule in _inline_rules(resource, "ingress", _sg_fields)
}

sg_ingress_rules contains rule if {
	some address in object.get(tfplan.by_type, "aws_security_group_rule", set())
	resource := tfplan.resources[address]
	not tfplan.value(resource, ["type"]) == "egress"
	rule := _rule(resource, [], _sg_fields, _known(resource, ["type"]))
}

sg_ingress_rules contains rule if {
	some address in object.get(tfplan.by_type, "aws_vpc_security_group_ingress_rule", set())
	resource := tfplan.resources[address]
	rule := _rule(resource, [], _vpc_rule_fields, true)
}

# Network ACL ingress rules that allow traffic (or may, when the action is only known after apply). Besides the
# common fields, a NACL rule has `number` (rule_no / rule_number, null when unknown) and `acl`, the address of the
# network ACL it belongs to (or its known id, for an ACL outside the plan).
nacl_ingress_rules contains rule if {
	some rule in _nacl_rules
	rule.action != "deny"
}

# Network ACL ingress rules that certainly deny traffic, by `acl`.
nacl_ingress_denies[rule.acl] contains rule if {
	some rule in _nacl_rules
	rule.action == "deny"
	rule.certain
	is_number(rule.number)
}

# True when a lower numbered deny rule of the same ACL drops the rule's traffic from anywhere on the port: NACL
# rules are evaluated in rule number order and the first match wins.
nacl_shadowed(rule, protocol, port) if {
	is_number(rule.number)
	some deny in nacl_ingress_denies[rule.acl]
	deny.number < rule.number
	port_match(deny, {protocol}, port, port) == "yes"
	some cidr in rule.sources
	is_anywhere(cidr)
	cidr in deny.sources
}

_nacl_rules contains object.union(rule, {
	"number": tfplan.value(resource, array.concat(rule.path, ["rule_no"])),
	"acl": address,
	"action": action,
	"certain": action != "unknown",
}) if {
	some type in ["aws_network_acl", "aws_default_network_acl"]
	some address in object.get(tfplan.by_type, type, set())
	resource := tfplan.resources[address]
	some rule in _inline_rules(resource, "ingress", _nacl_fields)
	action := _action(resource, array.concat(rule.path, ["action"]))
}

_nacl_rules contains object.union(rule, {
	"number": tfplan.value(resource, ["rule_number"]),
	"acl": _acl_of(resource),
	"action": _action(resource, ["rule_action"]),
}) if {
	some address in object.get(tfplan.by_type, "aws_network_acl_rule", set())
	resource := tfplan.resources[address]
	not tfplan.value(resource, ["egress"]) == true
	rule := _rule(resource, [], _nacl_fields, _certain_nacl_rule(resource))
}

# "allow", "deny", or "unknown" when only known after apply.
_action(resource, path) := "unknown" if {
	tfplan.is_unknown(resource, path)
} else := lower(tfplan.value(resource, path)) if {
	is_string(tfplan.value(resource, path))
} else := "unknown"

_acl_of(rule) := sort(acls)[0] if {
	acls := {acl |
		some acl in tfplan.links_of(rule.address)
		tfplan.resources[acl].type in {"aws_network_acl", "aws_default_network_acl"}
		attribute_refers_to(rule, "network_acl_id", acl)
	}
	count(acls) > 0
} else := id if {
	id := tfplan.value(rule, ["network_acl_id"])
	is_string(id)
} else := rule.address

_certain_nacl_rule(resource) := false if {
	tfplan.is_unknown(resource, ["egress"])
} else := false if {
	tfplan.is_unknown(resource, ["rule_action"])
} else := true

_known(resource, path) := false if tfplan.is_unknown(resource, path)

else := true

_sg_fields := {
	"protocol": "protocol",
	"from_port": "from_port",
	"to_port": "to_port",
	"sources": ["cidr_blocks", "ipv6_cidr_blocks"],
}

_vpc_rule_fields := {
	"protocol": "ip_protocol",
	"from_port": "from_port",
	"to_port": "to_port",
	"sources": ["cidr_ipv4", "cidr_ipv6"],
}

_nacl_fields := {
	"protocol": "protocol",
	"from_port": "from_port",
	"to_port": "to_port",
	"sources": ["cidr_block", "ipv6_cidr_block"],
}

# Inline blocks of a known list, one rule each; a list that is configured but only known after apply as a whole
# gives one rule with everything unknown. A list left out of the configuration and unknown is filled by separate
# rule resources, which are rules of their own.
_inline_rules(resource, attribute, fields) := {rule |
	blocks := tfplan.value(resource, [attribute])
	is_array(blocks)
	some i, _ in blocks
	rule := _rule(resource, [attribute, i], fields, true)
} if {
	is_array(tfplan.value(resource, [attribute]))
} else := {rule |
	tfplan.is_unknown(resource, [attribute])
	tfplan.is_configured(resource, attribute)
	rule := _rule(resource, [attribute], fields, true)
}

_rule(resource, path, fields, certain) := {
	"resource": resource.address,
	"path": path,
	"certain": certain,
	"protocol": tfplan.value(resource, protocol_path),
	"protocol_path": protocol_path,
	"from_port": tfplan.value(resource, from_path),
	"from_path": from_path,
	"to_port": tfplan.value(resource, to_path),
	"to_path": to_path,
	"sources": _sources(resource, source_paths),
	"source_paths": source_paths,
	"unknown": _rule_unknowns(resource, protocol_path, from_path, to_path, source_paths),
} if {
	protocol_path := array.concat(path, [fields.protocol])
	from_path := array.concat(path, [fields.from_port])
	to_path := array.concat(path, [fields.to_port])
	source_paths := [array.concat(path, [attribute]) | some attribute in fields.sources]
}

_sources(resource, paths) := [cidr |
	some path in paths
	some cidr in _as_list(tfplan.value(resource, path))
	is_string(cidr)
	cidr != ""
]

_as_list(x) := x if is_array(x)

else := [x] if is_string(x)

else := []

_rule_unknowns(resource, protocol_path, from_path, to_path, source_paths) := ({"protocol" |
	tfplan.is_unknown(resource, protocol_path)
} | {"ports" |
	some path in [from_path, to_path]
	tfplan.is_unknown(resource, path)
}) | {"sources" |
	some path in source_paths
	unknown_in_list(resource, path)
}

# True when the value at path, or one of its elements, is only known after apply.
unknown_in_list(resource, path) if tfplan.is_unknown(resource, path)

unknown_in_list(resource, path) if {
	flags := object.get(resource.unknown, path, [])
	is_array(flags)
	some flag in flags
	flag == true
}

# --- Three-valued matching ---------------------------------------------------------------------------------

# Does the rule admit traffic on every port of [lo, hi] for one of the protocols ("tcp", "udp", …)? A rule for
# all protocols admits every port.
port_match(rule, protocols, lo, hi) := "maybe" if {
	"protocol" in rule.unknown
} else := "yes" if {
	protocol_name(rule.protocol) == "all"
} else := "no" if {
	not protocol_name(rule.protocol) in protocols
} else := "maybe" if {
	"ports" in rule.unknown
} else := "yes" if {
	is_number(rule.from_port)
	is_number(rule.to_port)
	rule.from_port <= lo
	rule.to_port >= hi
} else := "no"

# Does the rule admit traffic from anywhere (0.0.0.0/0 or ::/0)?
source_match(rule) := "yes" if {
	rule.certain
	some cidr in rule.sources
	is_anywhere(cidr)
} else := "maybe" if {
	some cidr in rule.sources
	is_anywhere(cidr)
} else := "maybe" if {
	"sources" in rule.unknown
} else := "no"

# "fail" when the rule certainly opens [lo, hi] to anywhere, "unknown" when it may; undefined otherwise.
exposure(rule, protocols, lo, hi) := "fail" if {
	port_match(rule, protocols, lo, hi) == "yes"
	source_match(rule) == "yes"
} else := "unknown" if {
	port_match(rule, protocols, lo, hi) != "no"
	source_match(rule) != "no"
}

# A message describing a rule: its source attributes that admit anywhere (or are unknown), its protocol and its
# ports, shown safely.
describe(rule) := concat(", ", array.concat(
	[concat(" = ", [path_label(path), shown_list(resource, path)]) | some path in _telling_sources(rule, resource)],
	[
		concat(" = ", [path_label(rule.protocol_path), tfplan.shown(resource, rule.protocol_path)]),
		concat(" = ", [path_label(rule.from_path), tfplan.shown(resource, rule.from_path)]),
		concat(" = ", [path_label(rule.to_path), tfplan.shown(resource, rule.to_path)]),
	],
)) if {
	resource := tfplan.resources[rule.resource]
}

_telling_sources(rule, resource) := [path |
	some path in rule.source_paths
	_telling_source(resource, path)
]

_telling_source(resource, path) if {
	some cidr in _as_list(tfplan.value(resource, path))
	is_anywhere(cidr)
}

_telling_source(resource, path) if unknown_in_list(resource, path)

# tfplan.shown for a list that may hold elements only known after apply.
shown_list(resource, path) := "(known after apply)" if {
	not tfplan.is_sensitive(resource, path)
	unknown_in_list(resource, path)
} else := tfplan.shown(resource, path)

# Attribute path for messages: ["ingress", 0, "cidr_blocks"] -> ingress[0].cidr_blocks
path_label(path) := concat("", [_path_part(i, part) | some i, part in path])

_path_part(_, part) := concat("", ["[", format_int(part, 10), "]"]) if is_number(part)

_path_part(i, part) := part if {
	is_string(part)
	i == 0
}

_path_part(i, part) := concat("", [".", part]) if {
	is_string(part)
	i > 0
}

# --- Nested settings ---------------------------------------------------------------------------------------

# True when the configuration sets the attribute at path (a constant or an expression), e.g.
# ["metadata_options", 0, "http_tokens"]. Without a configuration section, a planned or unknown value counts.
configured_at(resource, path) if {
	block := tfplan.config(resource)
	object.get(block, array.concat(["expressions"], path), null) != null
}

# A block written as an attribute (metadata_options = [{…}]) is one expression: a constant is read inside, any other
# expression counts as setting everything below it.
configured_at(resource, path) if {
	block := tfplan.config(resource)
	some i in numbers.range(1, count(path) - 1)
	node := object.get(block, array.concat(["expressions"], array.slice(path, 0, i)), null)
	_sets_below(node, array.slice(path, i, count(path)))
}

configured_at(resource, path) if {
	not tfplan.config(resource)
	tfplan.value(resource, path) != null
}

configured_at(resource, path) if {
	not tfplan.config(resource)
	tfplan.is_unknown(resource, path)
}

_sets_below(node, rest) if object.get(node, array.concat(["constant_value"], rest), null) != null

_sets_below(node, _) if {
	is_object(node)
	not "constant_value" in object.keys(node)
	count(object.get(node, "references", [])) > 0
}

# The value of a setting at path: the planned value when known, else the provider default when the configuration
# leaves it unset (or sets it to null). Undefined when the configuration sets it but it is only known after apply.
# Unlike tfplan.effective, a known planned value wins over the default (an unchanged resource carries its real
# value even where the configuration is silent).
setting(resource, path, default_value) := v if {
	v := tfplan.value(resource, path)
	v != null
} else := default_value if {
	not configured_at(resource, path)
} else := default_value if {
	not tfplan.is_unknown(resource, path)
}

# True when `setting` is undefined: the configuration sets the value at path but it is only known after apply.
undecided(resource, path) if {
	tfplan.value(resource, path) == null
	configured_at(resource, path)
	tfplan.is_unknown(resource, path)
}

# --- References through one attribute ----------------------------------------------------------------------

# True when the attribute of `from` names the resource at to_address: its known value is the target's id or ARN,
# or its configuration expression refers to the target (resolved through modules; count and for_each instances
# pair as in tfplan.links).
attribute_refers_to(from, attribute, to_address) if {
	to := tfplan.resources[to_address]
	v := tfplan.value(from, [attribute])
	is_string(v)
	v != ""
	v in {object.get(to.values, "id", null), object.get(to.values, "arn", null)}
}

attribute_refers_to(from, attribute, to_address) if {
	to_address in tfplan.links_of(from.address)
	block := tfplan.config(from)
	some ref in tfplan.expression_references(object.get(block, ["expressions", attribute], {}))
	some key in tfplan.resolve_reference(tfplan.module_of_key(from.config_key, block), ref)
	key == tfplan.resources[to_address].config_key
}

# --- Account settings --------------------------------------------------------------------------------------

# EBS encryption by default turned on in the same plan (aws_ebs_encryption_by_default, enabled defaults to true):
# every new EBS volume of the account and region is encrypted.
ebs_encryption_by_default if {
	some address in object.get(tfplan.by_type, "aws_ebs_encryption_by_default", set())
	setting(tfplan.resources[address], ["enabled"], true) == true
}
