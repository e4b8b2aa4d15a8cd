# METADATA
# title: ECR repositories scan images on push
# description: |
#   Every aws_ecr_repository scans images for vulnerabilities when they are pushed:
#   image_scanning_configuration { scan_on_push = true }, or a registry-wide aws_ecr_registry_scanning_configuration
#   in the plan with scan_type ENHANCED, or with a rule that scans on push (or continuously) every repository
#   (filter "*") or those whose name starts with the filter's prefix ("app-*"). Without the block, or with
#   scan_on_push unset, repositories are not scanned (the provider default). A value only known after apply leaves
#   the repository undecided.
# custom:
#   id: CIPA-AWS-ECR-01
#   severity: low
#   aliases: [CKV_AWS_163, AVD-AWS-0030]
#   resource_types: [aws_ecr_repository]
#   remediation: |
#     Scan images on push:
#
#       resource "aws_ecr_repository" "this" {
#         name = "app"
#         image_scanning_configuration {
#           scan_on_push = true
#         }
#       }
package cipa.controls.aws.ecr_scan_on_push

import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_ecr_repository", set())

fail[address] contains _message(resource) if {
	some address in scope
	resource := tfplan.resources[address]
	_scan_on_push(resource) == false
	not _registry_scans(resource)
}

unknown[address] contains "image_scanning_configuration.scan_on_push is only known after apply" if {
	some address in scope
	resource := tfplan.resources[address]
	not _decided(resource)
	not _registry_scans(resource)
}

_decided(resource) if _scan_on_push(resource) != null

_scan_on_push(resource) := false if {
	not tfplan.is_configured(resource, "image_scanning_configuration")
} else := v if {
	v := tfplan.value(resource, ["image_scanning_configuration", 0, "scan_on_push"])
	v != null
} else := false if {
	not tfplan.is_unknown(resource, ["image_scanning_configuration", 0, "scan_on_push"])
}

_registry_scans(_) if {
	some address in object.get(tfplan.by_type, "aws_ecr_registry_scanning_configuration", set())
	tfplan.value(tfplan.resources[address], ["scan_type"]) == "ENHANCED"
}

_registry_scans(resource) if {
	name := tfplan.value(resource, ["name"])
	is_string(name)
	some address in object.get(tfplan.by_type, "aws_ecr_registry_scanning_configuration", set())
	some rule in _array(tfplan.value(tfplan.resources[address], ["rule"]))
	rule.scan_frequency in {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}
	some filter in _array(object.get(rule, "repository_filter", []))
	filter.filter_type == "WILDCARD"
	_wildcard_matches(filter.filter, name)
}

_wildcard_matches("*", _)

_wildcard_matches(pattern, name) if {
	endswith(pattern, "*")
	not contains(trim_suffix(pattern, "*"), "*")
	startswith(name, trim_suffix(pattern, "*"))
}

_wildcard_matches(pattern, name) if {
	not contains(pattern, "*")
	pattern == name
}

_array(x) := x if is_array(x)

else := []

_message(resource) := "image_scanning_configuration is not set (no scan on push by default)" if {
	not tfplan.is_configured(resource, "image_scanning_configuration")
} else := concat("", [
	"image_scanning_configuration.scan_on_push = ",
	tfplan.shown(resource, ["image_scanning_configuration", 0, "scan_on_push"]),
])
