# METADATA
# title: Taggable resources carry the required tags
# description: |
#   Every resource whose planned values have a `tags` map (AWS, Azure and others) or, for Google resources, a
#   `labels` map, carries each key listed in `data.cipa.settings.required_tags` (shipped default: `owner` and
#   `environment`; keys match exactly, case included) with a non-empty value. Tags the provider adds by default
#   count: AWS `default_tags` through `tags_all`, Google `default_labels` through `terraform_labels`. A required
#   key whose value is only known after apply counts as present. The resource is unknown when keys may still
#   arrive after apply: its tags are only known after apply, or its provider sets default tags and `tags_all` is
#   only known after apply. Resources whose `tags` is a list (GCP network tags, old autoscaling group tags) are out
#   of scope.
# custom:
#   id: CIPA-GOV-04
#   severity: low
#   frameworks: {}
#   aliases: []
#   resource_types: ["*"]
#   remediation: |
#     Set the required tags on the resource, or once for every resource of the provider:
#
#       provider "aws" {
#         default_tags {
#           tags = {
#             owner       = "team-payments"
#             environment = "production"
#           }
#         }
#       }
package cipa.controls.gov.required_tags

import data.cipa.lib.tfplan

settings := s if {
	s := data.cipa.settings
} else := {}

required := {t | some t in object.get(settings, "required_tags", []); is_string(t)}

scope contains address if {
	some address, resource in tfplan.resources
	_taggable(resource)
}

# Maps built per resource rather than partial rules (`fail[address] contains ...`): untagged estates fail this
# control on every resource, and OPA's evaluator is quadratic in the results of a keyed partial rule (see
# tfplan.wasm); a comprehension is linear in both engines.
fail := {address: messages |
	count(required) > 0
	some address in scope
	messages := _failures(tfplan.resources[address])
	count(messages) > 0
}

unknown := {address: {message} |
	count(required) > 0
	some address in scope
	resource := tfplan.resources[address]
	missing := _missing(resource)
	count(missing) > 0
	_may_gain(resource)
	message := concat("", [
		_attribute(resource), " are only known after apply (", _why_unknown(resource), "); not yet present: ",
		concat(", ", sort(missing)),
	])
}

_failures(resource) := _missing_keys(resource) | _empty_values(resource)

_missing_keys(resource) := {concat("", ["missing required ", _attribute(resource), ": ", concat(", ", sort(missing))]) |
	missing := _missing(resource)
	count(missing) > 0
	not _may_gain(resource)
}

_empty_values(resource) := {concat("", ["required ", _attribute(resource), " key ", key, " has an empty value"]) |
	some key in required
	some attribute in _attributes(resource)
	object.get(_map(tfplan.value(resource, [attribute])), key, null) == ""
}

# "tags", or "labels" for Google resources; the second attribute includes the provider's defaults.
_attribute(resource) := "labels" if startswith(resource.type, "google_")

else := "tags"

_all_attribute(resource) := "terraform_labels" if startswith(resource.type, "google_")

else := "tags_all"

_attributes(resource) := [_attribute(resource), _all_attribute(resource)]

_taggable(resource) if {
	attribute := _attribute(resource)
	attribute in object.keys(resource.values)
	_map_or_null(resource.values[attribute])
}

_taggable(resource) if {
	attribute := _attribute(resource)
	not attribute in object.keys(resource.values)
	object.get(resource.unknown, attribute, false) == true
}

_map_or_null(x) if is_object(x)

_map_or_null(null)

_map(x) := x if is_object(x)

else := {}

# Keys present in the tags or in the tags with provider defaults, known or with a value only known after apply.
_present(resource) := {key |
	some attribute in _attributes(resource)
	some key, _ in _map(tfplan.value(resource, [attribute]))
} | {key |
	some attribute in _attributes(resource)
	some key, flag in _map(object.get(resource.unknown, attribute, {}))
	flag == true
}

_missing(resource) := required - _present(resource)

# True when keys may still arrive after apply.
_may_gain(resource) if object.get(resource.unknown, _attribute(resource), false) == true

_may_gain(resource) if {
	object.get(resource.unknown, _all_attribute(resource), false) == true
	tfplan.provider_short_name(resource.provider) in _providers_with_defaults
}

_why_unknown(resource) := concat("", [_attribute(resource), " is set from values only known after apply"]) if {
	object.get(resource.unknown, _attribute(resource), false) == true
} else := concat("", ["the provider adds default ", _attribute(resource), " and ", _all_attribute(resource), " is only known after apply"])

# Provider local names whose configuration sets default tags or labels.
_providers_with_defaults contains config.name if {
	some config in object.get(object.get(input, "configuration", {}), "provider_config", {})
	some attribute in ["default_tags", "default_labels"]
	object.get(config, ["expressions", attribute], null) != null
}
