# METADATA
# title: Modules come from approved sources
# description: |
#   Every module call, at every nesting level, loads its module from a source the organisation approves:
#   `data.cipa.settings.approved_module_sources` lists source prefixes (registry namespaces such as
#   `app.terraform.io/acme/` or `acme/`, repositories such as `github.com/acme/`, local directories such as
#   `./modules/`). Sources and prefixes are compared in canonical form: lower case, without `git::`, URL scheme,
#   `git@` user or the public registry's hostname, so `github.com/acme/` also admits
#   `git::https://github.com/acme/vpc.git` and `git@github.com:acme/vpc.git`. End prefixes with `/` to match a
#   whole namespace or organisation. Local paths of root-module calls pass unless the list names local prefixes
#   (starting with `./` or `../`), in which case they must match one. An empty list means not configured: every
#   remote source fails and only local modules pass, so an organisation has to declare what it trusts. Local calls
#   inside a module ship with that module and are decided with it (out of scope). Decisions are reported on the
#   module call's un-indexed path, e.g. `module.network.module.subnets`.
# custom:
#   id: CIPA-GOV-02
#   severity: high
#   frameworks: {}
#   aliases: []
#   resource_types: [module]
#   remediation: |
#     Use the organisation's hardened copy of the module, or have the source reviewed and added to the settings:
#
#       {"approved_module_sources": ["app.terraform.io/acme/", "github.com/acme/", "./modules/"]}
package cipa.controls.gov.approved_module_sources

import data.cipa.lib.module_sources
import data.cipa.lib.tfplan

settings := s if {
	s := data.cipa.settings
} else := {}

approved := [p | some p in object.get(settings, "approved_module_sources", []); is_string(p); p != ""]

local_prefixes := [p | some p in approved; module_sources.local(p)]

remote_prefixes := [p | some p in approved; not module_sources.local(p)]

scope contains path if {
	some path, call in tfplan.module_calls
	not _nested_local(path, call)
}

fail[path] contains "the module call has no source" if {
	some path in scope
	_source(tfplan.module_calls[path]) == ""
}

fail[path] contains concat("", [
	"source = ", tfplan.display(source),
	" is a remote module and settings.approved_module_sources is empty: only local modules are approved",
]) if {
	count(remote_prefixes) == 0
	some path in scope
	source := _source(tfplan.module_calls[path])
	source != ""
	not module_sources.local(source)
}

fail[path] contains concat("", [
	"source = ", tfplan.display(source), " matches none of settings.approved_module_sources ",
	_list(remote_prefixes),
]) if {
	count(remote_prefixes) > 0
	some path in scope
	source := _source(tfplan.module_calls[path])
	source != ""
	not module_sources.local(source)
	not _approved(source, remote_prefixes)
}

fail[path] contains concat("", [
	"source = ", tfplan.display(source), " is a local path outside the approved local prefixes ",
	_list(local_prefixes),
]) if {
	count(local_prefixes) > 0
	some path in scope
	source := _source(tfplan.module_calls[path])
	module_sources.local(source)
	not _approved(source, local_prefixes)
}

_approved(source, prefixes) if {
	some prefix in prefixes
	module_sources.matches_prefix(source, prefix)
}

_source(call) := s if {
	s := call.source
	is_string(s)
} else := ""

# A local-path call inside a module (module.a.module.b): part of module a's package.
_nested_local(path, call) if {
	count(split(path, ".")) > 2
	module_sources.local(_source(call))
}

_list(prefixes) := concat("", ["[", concat(", ", [tfplan.display(p) | some p in prefixes]), "]"])
