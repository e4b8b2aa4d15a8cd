# METADATA
# title: Provider requirements carry version constraints
# description: |
#   Every provider the configuration requires or uses has a version constraint (`required_providers`, or a
#   provider block's legacy `version`), read from `configuration.provider_config.*.version_constraint`. The root
#   module decides: when it requires or configures a provider, its own entry must carry the constraint, because
#   that is the one the organisation controls (child modules' constraints usually set only a lower bound). A
#   provider that only child modules require passes when one of them constrains it. A provider used by resources
#   but required by no module fails. Terraform's built-in `terraform` provider is out of scope. Decisions are
#   reported on `provider.<local name>`, e.g. `provider.aws`.
# custom:
#   id: CIPA-GOV-05
#   severity: low
#   frameworks: {}
#   aliases: [CKV_TF_3]
#   resource_types: [provider]
#   remediation: |
#     Constrain every provider in the root module and commit .terraform.lock.hcl:
#
#       terraform {
#         required_providers {
#           aws = {
#             source  = "hashicorp/aws"
#             version = "~> 5.40"
#           }
#         }
#       }
package cipa.controls.gov.provider_versions_constrained

import data.cipa.lib.tfplan

configs := object.get(object.get(input, "configuration", {}), "provider_config", {})

# Provider local names: from the configuration, and from the resources in the plan.
names contains name if {
	some key, config in configs
	name := _name(key, config)
	name != "terraform"
}

names contains name if {
	some resource in tfplan.resources
	resource.provider != ""
	name := tfplan.provider_short_name(resource.provider)
	name != "terraform"
}

scope contains concat(".", ["provider", name]) if some name in names

fail[concat(".", ["provider", name])] contains concat("", [
	"the root module requires provider ", name, " without a version constraint (required_providers version)",
]) if {
	some name in names
	name in _root_names
	count(object.get(_root_constraints, name, set())) == 0
}

fail[concat(".", ["provider", name])] contains concat("", [
	"no module declares a version constraint for provider ", name,
]) if {
	some name in names
	not name in _root_names
	count(object.get(_constraints, name, set())) == 0
}

_root_names contains _name(key, config) if {
	some key, config in configs
	_root(config)
}

_root_constraints[_name(key, config)] contains c if {
	some key, config in configs
	_root(config)
	c := _constraint(config)
	c != ""
}

_constraints[_name(key, config)] contains c if {
	some key, config in configs
	c := _constraint(config)
	c != ""
}

_root(config) if object.get(config, "module_address", "") == ""

# The provider's local name: "name", else the key without module prefix ("module.x:aws.east") and alias.
_name(key, config) := config.name if {
	is_string(config.name)
} else := split(parts[count(parts) - 1], ".")[0] if {
	parts := split(key, ":")
}

_constraint(config) := trim_space(v) if {
	v := config.version_constraint
	is_string(v)
} else := ""
