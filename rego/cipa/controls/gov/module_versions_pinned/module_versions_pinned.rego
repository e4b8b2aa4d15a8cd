# METADATA
# title: Module versions are pinned
# description: |
#   Every module call, at every nesting level, loads one fixed revision of its module. A registry module needs an
#   exact `version` ("1.2.3" or "= 1.2.3"); a range ("~> 1.2", ">= 1") or no version takes whatever is newest at
#   the next `terraform init`, since Terraform's lock file records providers, not modules. A git or Mercurial
#   source needs `?ref=` (`?rev=`) naming a full commit id (40 or 64 hex digits) or a release tag with major, minor
#   and patch (`v1.2.3`, `1.2.3-rc.1`): branch names (`main`), partial versions (`v1`, `v1.2`, usually re-pointed
#   aliases) and short commit ids are not pinned. Tags can be moved by whoever controls the repository; a commit
#   id cannot. Local paths are exempt and out of scope, and so are other archives (http, s3, gcs URLs), whose
#   content is named by the URL alone. Decisions are reported on the module call's un-indexed path.
# custom:
#   id: CIPA-GOV-03
#   severity: medium
#   frameworks: {}
#   aliases: [CKV_TF_1, CKV_TF_2]
#   resource_types: [module]
#   remediation: |
#     Pin the registry version, or the git revision to a release tag or a commit id:
#
#       module "vpc" {
#         source  = "terraform-aws-modules/vpc/aws"
#         version = "5.8.1"
#       }
#
#       module "network" {
#         source = "git::https://github.com/acme/terraform-network.git?ref=v2.3.0"
#       }
package cipa.controls.gov.module_versions_pinned

import data.cipa.lib.module_sources
import data.cipa.lib.tfplan

scope contains path if {
	some path, call in tfplan.module_calls
	module_sources.kind(_source(call)) in {"registry", "git", "hg"}
}

fail[path] contains concat("", [
	"source = ", tfplan.display(source), " has no version constraint: every terraform init may take a newer release",
]) if {
	some path in scope
	call := tfplan.module_calls[path]
	source := _source(call)
	module_sources.kind(source) == "registry"
	_version(call) == ""
}

fail[path] contains concat("", [
	"version = ", tfplan.display(_version(call)), " admits more than one release: pin an exact version such as \"1.2.3\"",
]) if {
	some path in scope
	call := tfplan.module_calls[path]
	module_sources.kind(_source(call)) == "registry"
	_version(call) != ""
	not module_sources.exact_version(_version(call))
}

fail[path] contains concat("", [
	"source = ", tfplan.display(source), " names no revision (?ref=): the default branch is checked out",
]) if {
	some path in scope
	source := _source(tfplan.module_calls[path])
	module_sources.kind(source) in {"git", "hg"}
	module_sources.revision(source) == ""
}

fail[path] contains concat("", [
	"source = ", tfplan.display(source), " checks out ", tfplan.display(rev),
	", which is neither a release tag like v1.2.3 nor a full commit id",
]) if {
	some path in scope
	source := _source(tfplan.module_calls[path])
	module_sources.kind(source) in {"git", "hg"}
	rev := module_sources.revision(source)
	rev != ""
	not module_sources.pinned_revision(rev)
}

_source(call) := s if {
	s := call.source
	is_string(s)
} else := ""

_version(call) := trim_space(v) if {
	v := call.version_constraint
	is_string(v)
} else := ""
