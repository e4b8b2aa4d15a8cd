# METADATA
# title: Normalized view of a Terraform plan
# description: |
#   Builds, from the raw `terraform show -json` output, the view every control reads: resource instances in scope
#   with their values, unknown and sensitive paths, configuration and references. Every index is built once per
#   evaluation, lookups are keyed, and nothing walks the whole plan. Group-bys are written twice, once per
#   engine (see `wasm` below); both forms give the same value, which the differential test and
#   `test_group_bys_agree_across_engines` check.
# custom:
#   library: true
package cipa.lib.tfplan

# Resource instances in scope, by address: managed resources that exist after the plan is applied (created,
# updated, replaced or unchanged). Deleted and forgotten resources are out of scope.
resources := {rc.address: resource |
	some rc in input.resource_changes
	rc.mode == "managed"
	in_scope_actions(rc.change.actions)
	module := object.get(rc, "module_address", "")
	resource := {
		"address": rc.address,
		"type": rc.type,
		"name": rc.name,
		"module": module,
		"index": object.get(rc, "index", null),
		"mode": rc.mode,
		"provider": object.get(rc, "provider_name", ""),
		"actions": rc.change.actions,
		"values": as_object(object.get(rc.change, "after", {})),
		"unknown": as_object(object.get(rc.change, "after_unknown", {})),
		"sensitive": as_object(object.get(rc.change, "after_sensitive", {})),
		"config_key": config_key(module, rc.mode, rc.type, rc.name),
	}
}

# Resources only being created, updated or replaced (the `--changed-only` view).
changing(resource) if {
	some action in resource.actions
	action in {"create", "update"}
}

in_scope_actions(actions) if {
	some action in actions
	action in {"create", "update", "no-op"}
}

as_object(x) := x if is_object(x)

else := {}

# --- Engines ----------------------------------------------------------------------------------------------
# A group-by (key -> set of addresses) costs differently in the two engines that evaluate this bundle:
# - OPA's evaluator checks each result of a keyed partial rule (`g[k] contains v`) against every earlier result
#   (topdown/eval.go, hasCollisions), so such a rule is quadratic in its results: 26 s for 50,000 keys. It
#   indexes comprehensions instead, so `{k: {v | ...; x == k} | some k in keys}` is linear.
# - The Wasm target has no comprehension indexing (the same comprehension costs keys x resources) and builds
#   keyed partial rules in linear time.
# cipa's Wasm evaluator sets data.cipa.runtime.engine to "wasm"; OPA servers, opa eval and opa test leave it unset.
# Only the selected form is evaluated. The comprehension form must be written out in each rule: OPA indexes a
# comprehension in a rule body, not one inside a function (a `group(pairs)` helper measured quadratic again).
wasm if data.cipa.runtime.engine == "wasm"

# Addresses of resources in scope, by resource type.
by_type := _by_type_rule if wasm

else := {type: addresses |
	some type in {resource.type | some resource in resources}
	addresses := {address | some address, resource in resources; resource.type == type}
}

_by_type_rule[resource.type] contains address if some address, resource in resources

# True when the plan manages at least one resource of the provider (e.g. "aws"): account-level controls only
# speak about accounts the plan touches.
uses_provider(name) if {
	some resource in resources
	provider_short_name(resource.provider) == name
}

provider_short_name(full) := name if {
	parts := split(full, "/")
	name := parts[count(parts) - 1]
}

# --- Values ------------------------------------------------------------------------------------------------

# The planned value at a path (an array of keys and indices), or null when absent or unknown at plan time.
value(resource, path) := object.get(resource.values, path, null)

# True when the value at path (or any enclosing block) is only known after apply.
is_unknown(resource, path) if {
	some i in numbers.range(1, count(path))
	object.get(resource.unknown, array.slice(path, 0, i), false) == true
}

# True when the value at path (or any enclosing block) is marked sensitive.
is_sensitive(resource, path) if {
	some i in numbers.range(1, count(path))
	object.get(resource.sensitive, array.slice(path, 0, i), false) == true
}

# A value for a message: never the value of a sensitive attribute. Rendered by hand rather than json.marshal,
# whose key order and escaping differ between the Wasm runtime and OPA.
shown(resource, path) := "(sensitive)" if {
	is_sensitive(resource, path)
} else := "(known after apply)" if {
	is_unknown(resource, path)
} else := "(not set)" if {
	value(resource, path) == null
} else := display(value(resource, path))

display(v) := concat("", ["\"", v, "\""]) if is_string(v)

else := "true" if v == true

else := "false" if v == false

else := "null" if is_null(v)

else := format_int(v, 10) if {
	is_number(v)
	v == floor(v)
} else := "(a number)" if is_number(v)

else := concat("", ["[", concat(", ", [_scalar(x) | some x in v]), "]"]) if {
	is_array(v)
	count(v) <= 10
	every x in v {
		not is_object(x)
		not is_array(x)
	}
} else := concat("", ["(", format_int(count(v), 10), " items)"]) if is_array(v)

else := concat("", ["{", concat(", ", [concat("", ["\"", k, "\": ", _flat(v[k])]) | some k in sort(object.keys(v))]), "}"]) if {
	is_object(v)
	count(v) <= 10
} else := "(an object)"

# A scalar, or a short list of scalars, for a value inside an object (Rego has no recursion).
_flat(v) := concat("", ["[", concat(", ", [_scalar(x) | some x in v]), "]"]) if {
	is_array(v)
	count(v) <= 10
} else := _scalar(v)

_scalar(v) := concat("", ["\"", v, "\""]) if is_string(v)

else := format_int(v, 10) if {
	is_number(v)
	v == floor(v)
} else := "true" if v == true

else := "false" if v == false

else := "null" if is_null(v)

else := "…"

# True when the attribute is set in the configuration (as a constant or an expression), as opposed to left to the
# provider's default. Plans without a configuration section fall back to the planned value.
is_configured(resource, attribute) if {
	block := object.get(config_resources, resource.config_key, null)
	block != null
	object.get(block, ["expressions", attribute], null) != null
}

is_configured(resource, attribute) if {
	object.get(config_resources, resource.config_key, null) == null
	value(resource, [attribute]) != null
}

is_configured(resource, attribute) if {
	object.get(config_resources, resource.config_key, null) == null
	is_unknown(resource, [attribute])
}

# The value decided at plan time: the planned value when it is known (set in the configuration or computed by the
# provider at an earlier apply), else the provider default when the configuration leaves the attribute unset.
# Undefined when the configuration sets it but the value is only known after apply: the caller reports unknown.
effective(resource, attribute, default_value) := v if {
	v := value(resource, [attribute])
	v != null
} else := default_value if {
	not is_configured(resource, attribute)
} else := default_value if {
	not is_unknown(resource, [attribute])
}

# --- Configuration -----------------------------------------------------------------------------------------

# Un-indexed module path of an instance's module address: module.a["x"].module.b[0] -> module.a.module.b
module_path(module_address) := "" if {
	module_address == ""
} else := concat(".", [concat(".", ["module", match[1]]) | some match in module_matches(module_address)])

module_matches(module_address) := regex.find_all_string_submatch_n(
	`module\.([A-Za-z0-9_-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|[0-9]+)\])?`,
	module_address,
	-1,
)

# Key of the configuration block an instance comes from: count and for_each instances share one block.
config_key(module_address, mode, type, name) := concat(".", array.concat(path_prefix(module_path(module_address)), local_parts(mode, type, name)))

path_prefix("") := []

path_prefix(path) := [path] if path != ""

local_parts("data", type, name) := ["data", type, name]

local_parts("managed", type, name) := [type, name]

# Configuration of every module by un-indexed path ("" is the root). Rego has no recursion, so nesting is unrolled
# to six levels, deeper than any module tree we have seen in real plans.
module_configs[""] := input.configuration.root_module

module_configs[path] := module if some path, module in _modules_1

module_configs[path] := module if some path, module in _modules_2

module_configs[path] := module if some path, module in _modules_3

module_configs[path] := module if some path, module in _modules_4

module_configs[path] := module if some path, module in _modules_5

module_configs[path] := module if some path, module in _modules_6

_modules_1[concat(".", ["module", name])] := object.get(call, "module", {}) if {
	some name, call in object.get(input.configuration.root_module, "module_calls", {})
}

_modules_2[path] := module if {
	some parent, parent_module in _modules_1
	some name, call in object.get(parent_module, "module_calls", {})
	path := concat(".", [parent, "module", name])
	module := object.get(call, "module", {})
}

_modules_3[path] := module if {
	some parent, parent_module in _modules_2
	some name, call in object.get(parent_module, "module_calls", {})
	path := concat(".", [parent, "module", name])
	module := object.get(call, "module", {})
}

_modules_4[path] := module if {
	some parent, parent_module in _modules_3
	some name, call in object.get(parent_module, "module_calls", {})
	path := concat(".", [parent, "module", name])
	module := object.get(call, "module", {})
}

_modules_5[path] := module if {
	some parent, parent_module in _modules_4
	some name, call in object.get(parent_module, "module_calls", {})
	path := concat(".", [parent, "module", name])
	module := object.get(call, "module", {})
}

_modules_6[path] := module if {
	some parent, parent_module in _modules_5
	some name, call in object.get(parent_module, "module_calls", {})
	path := concat(".", [parent, "module", name])
	module := object.get(call, "module", {})
}

# Module calls by the un-indexed path of the module they create: source, version and argument expressions.
module_calls[path] := call if {
	some parent, module in module_configs
	some name, call in object.get(module, "module_calls", {})
	path := concat(".", array.concat(path_prefix(parent), ["module", name]))
}

# Configuration blocks of resources and data sources by config key.
config_resources[key] := block if {
	some path, module in module_configs
	some block in object.get(module, "resources", [])
	key := concat(".", array.concat(path_prefix(path), [block.address]))
}

# The configuration block of an instance, or undefined when the plan has no configuration for it.
config(resource) := block if {
	block := object.get(config_resources, resource.config_key, null)
	block != null
}

# --- References --------------------------------------------------------------------------------------------

# Config keys a configuration block refers to, directly or through one module input (var.x) or output
# (module.m.x) hop. Terraform lists every prefix of a reference ("aws_s3_bucket.b.id", "aws_s3_bucket.b"); the
# key keeps the block part only.
config_references[key] contains target if {
	some key, block in config_resources
	module := module_of_key(key, block)
	some ref in expression_references(object.get(block, "expressions", {}))
	some target in resolve_reference(module, ref)
}

# Module path part of a config key.
module_of_key(key, block) := trim_suffix(trim_suffix(key, block.address), ".")

expression_references(expressions) := {ref |
	walk(expressions, [path, refs])
	path[count(path) - 1] == "references"
	some ref in refs
}

resolve_reference(module, ref) := ({target |
	some target in _resolve_direct(module, ref)
} | {target |
	some hop in _resolve_hop(module, ref)
	some target in _resolve_direct(hop[0], hop[1])
}) | {target |
	some hop in _resolve_hop(module, ref)
	some hop2 in _resolve_hop(hop[0], hop[1])
	some target in _resolve_direct(hop2[0], hop2[1])
}

_resolve_direct(module, ref) := {concat(".", array.concat(path_prefix(module), [m[1], m[2]])) |
	not startswith(ref, "data.")
	not startswith(ref, "module.")
	not _pseudo_reference(ref)
	some m in regex.find_all_string_submatch_n(`^([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)`, ref, 1)
} | {concat(".", array.concat(path_prefix(module), ["data", m[1], m[2]])) |
	some m in regex.find_all_string_submatch_n(`^data\.([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)`, ref, 1)
}

_pseudo_reference(ref) if {
	some prefix in {"var.", "local.", "each.", "count.", "path.", "terraform.", "self."}
	startswith(ref, prefix)
}

# One hop across a module boundary: [module path, reference in that module].
_resolve_hop(module, ref) := {[parent, inner] |
	startswith(ref, "var.")
	module != ""
	name := split(ref, ".")[1]
	call := object.get(module_calls, module, null)
	call != null
	parent := _parent_module(module)
	some inner in object.get(call, ["expressions", name, "references"], [])
} | {[child, inner] |
	some m in regex.find_all_string_submatch_n(`^module\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_-]+)`, ref, 1)
	child := concat(".", array.concat(path_prefix(module), ["module", m[1]]))
	some inner in object.get(module_configs, [child, "outputs", m[2], "expression", "references"], [])
}

_parent_module(module) := parent if {
	parts := split(module, ".")
	parent := concat(".", array.slice(parts, 0, count(parts) - 2))
}

# Instances by config key, then by module instance address: joins look up the instances of the referenced block
# in the referring resource's own module instance instead of scanning every instance of a for_each module.
module_instances := _module_instances_rule if wasm

else := {key: {module: _instances_in_module[[key, module]] | some module in modules} | some key, modules in _modules_by_key}

# For OPA's evaluator: each level is a top-level comprehension so that it is indexed (a nested one is not).
_modules_by_key := {key: modules |
	some key in {pair[0] | some pair in _key_modules}
	modules := {pair[1] | some pair in _key_modules; pair[0] == key}
}

_instances_in_module := {pair: addresses |
	some pair in _key_modules
	addresses := {address | some address, of in _key_module_of; of == pair}
}

_key_module_of := {address: [resource.config_key, resource.module] | some address, resource in resources}

_key_modules := {pair | some pair in _key_module_of}

_module_instances_rule[resource.config_key][resource.module] contains address if some address, resource in resources

# Instances by config key: count and for_each instances of one block, in every module instance.
instances := _instances_rule if wasm

else := {key: addresses |
	some key in {resource.config_key | some resource in resources}
	addresses := {address | some address, resource in resources; resource.config_key == key}
}

_instances_rule[resource.config_key] contains address if some address, resource in resources

# Module path part of a config key: module.a.aws_s3_bucket.b -> module.a, module.a.data.t.n -> module.a.
# Type and block names hold no dots; "data" before the last two parts marks a data source unless it is the name
# of a module ("module.data").
key_module(key) := concat(".", array.slice(parts, 0, count(parts) - 3)) if {
	parts := split(key, ".")
	count(parts) >= 3
	parts[count(parts) - 3] == "data"
	not _module_named_data(parts)
} else := concat(".", array.slice(parts, 0, count(parts) - 2)) if {
	parts := split(key, ".")
	count(parts) >= 2
}

_module_named_data(parts) if {
	count(parts) >= 4
	parts[count(parts) - 4] == "module"
}

# Resource instance links: `from` refers to `to` in its configuration (resolved through modules), or one of its
# reference-like attributes holds a known id, ARN or name of `to`. Within one module instance, instances of
# count/for_each blocks pair by index when both sides are indexed alike.
# One form for both engines: a map built per resource is linear in each (measured equal to keyed rules in Wasm).
links := {from: targets |
	some from, resource in resources
	targets := _links_from(from, resource)
	count(targets) > 0
}

# The links of one resource: configuration references in its own module instance (paired by index), across a
# module boundary (any instance in an enclosing or enclosed module instance), and by a known id, ARN or name.
_links_from(from, resource) := ((same_module | across_modules) | by_identity) - {from} if {
	targets := object.get(config_references, resource.config_key, set())
	same_module := {to |
		some target_key in targets
		key_module(target_key) == key_module(resource.config_key)
		some to in object.get(module_instances, [target_key, resource.module], set())
		_index_pairs(resource, object.get(resources, to, null))
	}
	across_modules := {to |
		some target_key in targets
		key_module(target_key) != key_module(resource.config_key)
		some module, addresses in object.get(module_instances, target_key, {})
		_nested_modules(resource.module, module)
		some to in addresses
	}
	by_identity := {to |
		some attribute in reference_attributes
		v := resource.values[attribute]
		is_string(v)
		some to in object.get(identified_by, v, set())
	}
}

_nested_modules(a, b) if startswith(a, b)

_nested_modules(a, b) if startswith(b, a)

_index_pairs(from, to) if not _pair_by_index(from, to)

_index_pairs(from, to) if {
	_pair_by_index(from, to)
	from.index == to.index
}

# Both sides are indexed and a peer with the same index exists next to `to`: pair by index.
_pair_by_index(from, to) if {
	from.index != null
	to.index != null
	some peer in object.get(module_instances, [to.config_key, to.module], set())
	object.get(resources, [peer, "index"], null) == from.index
}

# Resources this one refers to (see links), materialised once like referrers.
links_of(address) := object.get(links, address, set())

# Resources that refer to this one (see links). Use this rather than linked_from[address]: OPA's native evaluator
# would re-run linked_from for every key looked up, where object.get materialises it once.
referrers(address) := object.get(linked_from, address, set())

# Reverse of links: who refers to this resource.
linked_from := _linked_from_rule if wasm

else := {to: referrers |
	some to in {pair[1] | some pair in _link_pairs}
	referrers := {pair[0] | some pair in _link_pairs; pair[1] == to}
}

_linked_from_rule[to] contains from if {
	some from, targets in links
	some to in targets
}

_link_pairs := {[from, to] | some from, targets in links; some to in targets}

# Attributes that name another resource by id, ARN or name.
reference_attributes := {
	"bucket", "security_group_id", "vpc_id", "role", "user", "group", "key_id", "target_key_id",
	"resource_id", "load_balancer_arn", "listener_arn", "cluster_name", "repository", "arn", "queue_url",
	"cloud_watch_logs_group_arn", "network_security_group_name", "server_id", "subnetwork", "network",
}

# Known identity values of each resource, for the values some reference attribute actually holds: indexing every
# id and name in a large plan would cost more than the joins it serves.
identified_by := _identified_by_rule if wasm

else := {v: addresses |
	some v in {pair[0] | some pair in _identity_pairs}
	addresses := {pair[1] | some pair in _identity_pairs; pair[0] == v}
}

_identified_by_rule[pair[0]] contains pair[1] if some pair in _identity_pairs

_identity_pairs := {[v, address] |
	some address, resource in resources
	some attribute in _identity_attributes
	v := resource.values[attribute]
	is_string(v)
	v != ""
	object.get(_referenced_values, v, false)
}

_identity_attributes := {"id", "arn", "bucket", "name"}

# An object rather than a set: `v in set` is slow in Wasm and `set[v]` re-evaluates the rule natively; object.get
# of a memoised object is fast in both. A comprehension, not a partial rule, for OPA's evaluator (see `wasm`);
# duplicate keys carry the same value.
_referenced_values := {v: true |
	some resource in resources
	some attribute in reference_attributes
	v := resource.values[attribute]
	is_string(v)
}

# --- Data sources ------------------------------------------------------------------------------------------

# Data source instances by address. Reads done at plan time are in prior_state with known values; reads deferred
# to apply (because they depend on unknowns) are in resource_changes, their values mostly unknown.
data_instances[rc.address] := {
	"address": rc.address,
	"type": rc.type,
	"module": module,
	"values": as_object(object.get(rc.change, "after", {})),
	"unknown": as_object(object.get(rc.change, "after_unknown", {})),
	"sensitive": as_object(object.get(rc.change, "after_sensitive", {})),
	"index": object.get(rc, "index", null),
	"deferred": true,
	"config_key": config_key(module, "data", rc.type, rc.name),
} if {
	some rc in input.resource_changes
	rc.mode == "data"
	module := object.get(rc, "module_address", "")
}

data_instances[block.address] := {
	"address": block.address,
	"type": block.type,
	"module": module,
	"values": as_object(object.get(block, "values", {})),
	"unknown": {},
	"sensitive": as_object(object.get(block, "sensitive_values", {})),
	"index": object.get(block, "index", null),
	"deferred": false,
	"config_key": config_key(module, "data", block.type, block.name),
} if {
	some module, state_module in state_modules
	some block in object.get(state_module, "resources", [])
	block.mode == "data"
	not _deferred_reads[block.address]
}

_deferred_reads contains rc.address if {
	some rc in input.resource_changes
	rc.mode == "data"
}

# Data source instances by config key.
data_by_key[instance.config_key] contains address if some address, instance in data_instances

# Modules of the prior state by module address ("" is the root), unrolled like module_configs.
state_modules[""] := input.prior_state.values.root_module

state_modules[module.address] := module if {
	some module in object.get(input.prior_state.values.root_module, "child_modules", [])
}

state_modules[module.address] := module if {
	some parent in object.get(input.prior_state.values.root_module, "child_modules", [])
	some module in object.get(parent, "child_modules", [])
}

state_modules[module.address] := module if {
	some parent in object.get(input.prior_state.values.root_module, "child_modules", [])
	some middle in object.get(parent, "child_modules", [])
	some module in object.get(middle, "child_modules", [])
}

state_modules[module.address] := module if {
	some parent in object.get(input.prior_state.values.root_module, "child_modules", [])
	some middle in object.get(parent, "child_modules", [])
	some inner in object.get(middle, "child_modules", [])
	some module in object.get(inner, "child_modules", [])
}

# Data source instances that an attribute of a resource refers to in its configuration. A data source in the
# resource's own module pairs with the same module instance, and by index when both are count/for_each instances
# with a peer of the same key; one reached through a module input or output pairs with any instance.
referenced_data(resource, attribute) := {address |
	some target in _attribute_targets(resource, attribute)
	some address in object.get(data_by_key, target, set())
	_data_pairs(resource, object.get(data_instances, address, null), target)
}

# Config keys of managed resources an attribute's expression refers to (directly or through modules).
referenced_managed(resource, attribute) := {target |
	some target in _attribute_targets(resource, attribute)
	not _is_data_key(target)
}

_attribute_targets(resource, attribute) := {target |
	block := object.get(config_resources, resource.config_key, null)
	block != null
	some ref in expression_references(object.get(block, ["expressions", attribute], {}))
	some target in resolve_reference(module_of_key(resource.config_key, block), ref)
}

_is_data_key(key) if startswith(key, "data.")

_is_data_key(key) if contains(key, ".data.")

_data_pairs(resource, instance, _) if module_path(instance.module) != module_path(resource.module)

_data_pairs(resource, instance, target) if {
	instance.module == resource.module
	not _indexed_peer_exists(resource, target)
}

_data_pairs(resource, instance, target) if {
	instance.module == resource.module
	_indexed_peer_exists(resource, target)
	instance.index == resource.index
}

_indexed_peer_exists(resource, target) if {
	resource.index != null
	some address in object.get(data_by_key, target, set())
	peer := object.get(data_instances, address, null)
	peer.module == resource.module
	peer.index == resource.index
}
