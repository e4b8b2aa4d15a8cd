# METADATA
# title: EC2 instances require IMDSv2
# description: |
#   Instances, launch templates and launch configurations require session tokens for the instance metadata
#   service (metadata_options.http_tokens = "required") or turn the endpoint off (http_endpoint = "disabled"), so
#   that a server-side request forgery cannot read instance credentials through IMDSv1. http_tokens left unset
#   takes the default "optional" and fails, unless the plan sets aws_ec2_instance_metadata_defaults with
#   http_tokens = "required" for the account and region. Settings only known after apply leave the resource
#   undecided.
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

fail[address] contains concat("", [_tokens_text(resource), " and ", _endpoint_text(resource)]) if {
	some address in scope
	resource := tfplan.resources[address]
	tokens(resource) != "required"
	endpoint(resource) != "disabled"
}

unknown[address] contains concat("", [network.path_label(path), " is set from a value known only after apply"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some path in [tokens_path, endpoint_path]
	network.undecided(resource, path)
	not _required(resource)
	not _disabled(resource)
}

_required(resource) if tokens(resource) == "required"

_disabled(resource) if endpoint(resource) == "disabled"

_tokens_text(resource) := concat("", [network.path_label(tokens_path), " = ", tfplan.shown(resource, tokens_path)]) if {
	tfplan.value(resource, tokens_path) != null
} else := concat("", [network.path_label(tokens_path), " is not set and defaults to \"optional\" (IMDSv1 allowed)"])

_endpoint_text(resource) := concat("", [network.path_label(endpoint_path), " = ", tfplan.shown(resource, endpoint_path)]) if {
	tfplan.value(resource, endpoint_path) != null
} else := concat("", [network.path_label(endpoint_path), " is not set and defaults to \"enabled\""])
