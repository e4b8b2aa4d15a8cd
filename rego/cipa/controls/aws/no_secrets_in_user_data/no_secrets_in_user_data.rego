# METADATA
# title: EC2 user data holds no secrets
# description: |
#   The user data of instances, launch templates and launch configurations holds no credentials, as far as the plan
#   or its configuration shows it: AWS access key ids (AKIA…, ASIA…), AWS secret access key assignments, private
#   key blocks, and password, secret, token or API key assignments with a literal value. The plan stores an
#   instance's user_data as a SHA-1 hash, so the text is read from user_data_base64, from a launch template's
#   base64 user_data, and from constant user_data in the configuration (also one module input away). User data
#   only known after apply leaves the resource undecided. Messages name the attribute and the kind of secret,
#   never the secret.
# custom:
#   id: CIPA-AWS-EC2-04
#   severity: high
#   aliases: [CKV_AWS_46, AVD-AWS-0029, AVD-AWS-0129]
#   resource_types: [aws_instance, aws_launch_template, aws_launch_configuration]
#   remediation: |
#     Keep secrets in Secrets Manager or SSM Parameter Store and read them at boot with the instance role:
#
#       resource "aws_instance" "app" {
#         ami                  = data.aws_ami.al2023.id
#         instance_type        = "t3.micro"
#         iam_instance_profile = aws_iam_instance_profile.app.name
#         user_data            = <<-EOT
#           #!/bin/bash
#           DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id prod/db --query SecretString --output text)
#         EOT
#       }
package cipa.controls.aws.no_secrets_in_user_data

import data.cipa.lib.network
import data.cipa.lib.tfplan

attributes := ["user_data", "user_data_base64"]

scope contains address if {
	some type in ["aws_instance", "aws_launch_template", "aws_launch_configuration"]
	some address in object.get(tfplan.by_type, type, set())
}

# Kinds of secrets, by RE2 pattern.
patterns := {
	"an AWS access key id": `(^|[^A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}([^A-Za-z0-9]|$)`,
	"an AWS secret access key": `(?i)aws_?secret_?access_?key["']?\s*[=:]\s*["']?[A-Za-z0-9/+]{40}`,
	"a private key": `-----BEGIN ((RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY`,
	"a password assignment": `(?i)(password|passwd|pwd)["']?\s*[=:]\s*["']?[^\s"'$<{}()]{4,}`,
	"a secret, token or API key assignment": `(?i)(secret|token|api_?key)["']?\s*[=:]\s*["']?[^\s"'$<{}()]{8,}`,
}

fail[address] contains concat("", [text.source, " contains ", kind]) if {
	some address in scope
	some text in _texts(tfplan.resources[address])
	some kind, pattern in patterns
	regex.match(pattern, text.text)
}

unknown[address] contains concat("", [attribute, " is known only after apply: its content cannot be checked"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some attribute in attributes
	tfplan.is_unknown(resource, [attribute])
	network.configured_at(resource, [attribute])
	not _constant(resource, attribute)
}

# User data texts the plan or the configuration shows: {"source": attribute, "text": …}.
_texts(resource) := {text |
	some attribute in attributes
	some text in _attribute_texts(resource, attribute)
}

# The planned text when the plan shows it, else the configured constant.
_attribute_texts(resource, attribute) := _planned(resource, attribute) if {
	count(_planned(resource, attribute)) > 0
} else := _configured(resource, attribute)

_planned(resource, attribute) := {{"source": attribute, "text": decoded}} if {
	v := tfplan.value(resource, [attribute])
	is_string(v)
	v != ""
	not _hashed(resource, attribute, v)
	decoded := _decoded(resource, attribute, v)
} else := set()

_configured(resource, attribute) := {{"source": concat(" ", [attribute, "in the configuration"]), "text": decoded}} if {
	v := _constant(resource, attribute)
	decoded := _decoded(resource, attribute, v)
} else := set()

# An instance's or launch configuration's user_data appears in the plan as its SHA-1 hash.
_hashed(resource, "user_data", v) if {
	resource.type != "aws_launch_template"
	regex.match(`^[0-9a-f]{40}$`, v)
}

# base64-encoded attributes are decoded; a value that does not decode is scanned as it is.
_decoded(resource, attribute, v) := base64.decode(v) if {
	_base64_attribute(resource, attribute)
	base64.is_valid(v)
} else := v

_base64_attribute(_, "user_data_base64")

_base64_attribute(resource, "user_data") if resource.type == "aws_launch_template"

# The constant value of the attribute in the configuration, directly or through one module input.
_constant(resource, attribute) := v if {
	block := tfplan.config(resource)
	v := block.expressions[attribute].constant_value
	is_string(v)
} else := v if {
	block := tfplan.config(resource)
	refs := block.expressions[attribute].references
	count(refs) == 1
	startswith(refs[0], "var.")
	call := tfplan.module_calls[tfplan.module_of_key(resource.config_key, block)]
	v := call.expressions[substring(refs[0], 4, -1)].constant_value
	is_string(v)
}
