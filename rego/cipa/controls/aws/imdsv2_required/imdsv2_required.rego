# METADATA
# title: EC2 instances require IMDSv2
# description: |
#   Instances, launch templates and launch configurations require session tokens for the instance metadata
#   service (metadata_options.http_tokens = "required") or turn the endpoint off (http_endpoint = "disabled"), so
#   that a server-side request forgery cannot read instance credentials through IMDSv1. http_tokens left unset
#   takes the default "optional" and fails, unless the plan sets aws_ec2_instance_metadata_defaults with
#   http_tokens = "required" for the account and region. An instance launched from a launch template without
#   metadata_options of its own follows the template's (undecided when the template is outside the plan).
#   Settings only known after apply leave the resource undecided.
# custom:
#   id: CIPA-AWS-EC2-03
#   severity: high
#   aliases: [CKV_AWS_79, AVD-AWS-0028, AVD-AWS-0130]
#   resource_types: [aws_instance, aws_launch_template, aws_launch_configuration]
#   remediation: |
#     Require IMDSv2 session tokens:
#
#       resource "aws_instance" "app" {
#         ami           = data.aws_ami.al2023.id
#         instance_type = "t3.micro"
#
#         metadata_options {
#           http_endpoint = "enabled"
#           http_tokens   = "required"
#         }
#       }
package cipa.controls.aws.imdsv2_required

import data.cipa.lib.network
import data.cipa.lib.tfplan

tokens_path := ["metadata_options", 0, "http_tokens"]

endpoint_path := ["metadata_options", 0, "http_endpoint"]

scope contains address if {
	some type in ["aws_instance", "aws_launch_template", "aws_launch_configuration"]
	some address in object.get(tfplan.by_type, type, set())
}

# Account default set in the same plan, applied where the resource leaves http_tokens unset.
default_tokens := "required" if {
	some address in object.get(tfplan.by_type, "aws_ec2_instance_metadata_defaults", set())
	network.setting(tfplan.resources[address], ["http_tokens"], "no-preference") == "required"
} else := "optional"

tokens(resource) := network.setting(resource, tokens_path, default_tokens)

endpoint(resource) := network.setting(resource, endpoint_path, "enabled")

fail[address] contains concat("", [_via(resource, decider), _tokens_text(decider), " and ", _endpoint_text(decider)]) if {
	some address in scope
	resource := tfplan.resources[address]
	decider := _decider(resource)
	tokens(decider) != "required"
	endpoint(decider) != "disabled"
}

unknown[address] contains concat("", [_via(resource, decider), network.path_label(path), " is set from a value known only after apply"]) if {
	some address in scope
	resource := tfplan.resources[address]
	decider := _decider(resource)
	some path in [tokens_path, endpoint_path]
	network.undecided(decider, path)
	not _required(decider)
	not _disabled(decider)
}

unknown[address] contains "metadata_options is not set and the instance takes it from a launch_template outside the plan" if {
	some address in scope
	resource := tfplan.resources[address]
	_follows_template(resource)
	count(_templates_of(resource)) == 0
}

# An instance that leaves metadata_options unset and is launched from a launch template takes the template's.
_follows_template(resource) if {
	resource.type == "aws_instance"
	network.configured_at(resource, ["launch_template"])
	not network.configured_at(resource, ["metadata_options"])
	tfplan.value(resource, tokens_path) == null
}

_templates_of(resource) := {template |
	some template in tfplan.links_of(resource.address)
	tfplan.resources[template].type == "aws_launch_template"
}

# The resource whose metadata_options decide: the launch template the instance follows, or the resource itself.
_decider(resource) := tfplan.resources[sort(_templates_of(resource))[0]] if {
	_follows_template(resource)
	count(_templates_of(resource)) > 0
} else := resource if {
	not _follows_template(resource)
}

_via(resource, decider) := "" if {
	resource.address == decider.address
} else := concat("", ["launch_template ", decider.address, " sets "])

_required(resource) if tokens(resource) == "required"

_disabled(resource) if endpoint(resource) == "disabled"

_tokens_text(resource) := concat("", [network.path_label(tokens_path), " = ", tfplan.shown(resource, tokens_path)]) if {
	tfplan.value(resource, tokens_path) != null
} else := concat("", [network.path_label(tokens_path), " is not set and defaults to \"optional\" (IMDSv1 allowed)"])

_endpoint_text(resource) := concat("", [network.path_label(endpoint_path), " = ", tfplan.shown(resource, endpoint_path)]) if {
	tfplan.value(resource, endpoint_path) != null
} else := concat("", [network.path_label(endpoint_path), " is not set and defaults to \"enabled\""])
