# METADATA
# title: Resources belong to approved cloud services
# description: |
#   The organisation's list of cloud services, kept as data in `data.cipa.settings`: `services` maps resource-type
#   prefixes to service names (`aws_s3` -> `aws:s3`; a key matches a type equal to it or starting with it followed
#   by `_`, a trailing `_` in the key is ignored, and the longest matching key wins), `unapproved_services` and
#   `approved_services` list service names (or `<cloud>:*` for a whole cloud), and `enforce_approved_services`
#   (default false) turns the approved list into an allow-list. A resource of an unapproved service fails. When the
#   approved list is enforced, a resource of a service on neither list fails, and so does a resource whose type
#   maps to no service. Otherwise resources pass. Every resource in the plan is in scope.
# custom:
#   id: CIPA-GOV-01
#   severity: high
#   frameworks: {}
#   aliases: []
#   resource_types: ["*"]
#   remediation: |
#     Replace the resource with one of an approved service, or have the service reviewed and added to the
#     organisation's settings (a data file passed with `cipa eval --data`, or baked into the bundle):
#
#       {"approved_services": ["aws:s3", "aws:kms", "gcp:*"], "enforce_approved_services": true}
package cipa.controls.gov.approved_services

import data.cipa.lib.tfplan

settings := s if {
	s := data.cipa.settings
} else := {}

enforced := object.get(settings, "enforce_approved_services", false) == true

approved := {s | some s in object.get(settings, "approved_services", [])}

unapproved := {s | some s in object.get(settings, "unapproved_services", [])}

scope contains address if some address, _ in tfplan.resources

fail[address] contains concat("", [
	"type ", resource.type, " belongs to service \"", service,
	"\", which the organisation does not approve (settings.unapproved_services)",
]) if {
	some address, resource in tfplan.resources
	service := service_of(resource.type)
	_listed(service, unapproved)
}

fail[address] contains concat("", [
	"type ", resource.type, " belongs to service \"", service,
	"\", which is not on settings.approved_services (enforce_approved_services is on)",
]) if {
	enforced
	some address, resource in tfplan.resources
	service := service_of(resource.type)
	not _listed(service, approved)
	not _listed(service, unapproved)
}

fail[address] contains concat("", [
	"type ", resource.type, " maps to no service in settings.services, ",
	"and enforce_approved_services only admits resources of approved services",
]) if {
	enforced
	some address, resource in tfplan.resources
	not _has_service(resource.type)
}

# Service map with keys normalized (no trailing "_"). A key written both ways keeps the one without "_".
services[key] := service if {
	some prefix, service in object.get(settings, "services", {})
	key := trim_suffix(prefix, "_")
	not _shadowed(prefix, key)
}

_shadowed(prefix, key) if {
	prefix != key
	_ := object.get(settings, "services", {})[key]
}

# The service of a resource type: the value of its longest matching key, tried as keyed lookups of the type's
# "_"-separated prefixes.
service_of(type) := services[best] if {
	matches := _matches(type)
	count(matches) > 0
	longest := max({count(m) | some m in matches})
	some best in matches
	count(best) == longest
}

_matches(type) := {candidate |
	parts := split(type, "_")
	some n in numbers.range(1, count(parts))
	candidate := concat("_", array.slice(parts, 0, n))
	services[candidate]
}

_has_service(type) if count(_matches(type)) > 0

# A service is listed by name or by its cloud's wildcard ("gcp:*").
_listed(service, list) if service in list

_listed(service, list) if concat("", [split(service, ":")[0], ":*"]) in list
