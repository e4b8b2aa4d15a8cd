# METADATA
# title: Lambda environment variables hold no plaintext secrets
# description: |
#   No environment variable of an aws_lambda_function holds a secret in plain text: a variable named like a secret
#   (*PASSWORD*, *SECRET*, *TOKEN*, *API_KEY*, *PRIVATE_KEY*, *CREDENTIAL* …, but not *_ARN, *_NAME, *_ID, *_PATH …)
#   with a known literal value, or any variable whose value is an AWS access key id or a private key. Values that
#   point to a secret store (ARNs, SSM parameter paths, {{resolve:…}}) pass, and so do values read from an
#   aws_secretsmanager_secret_version or aws_ssm_parameter (resource or data source) the environment refers to:
#   the function should still fetch them at run time, but they are not written in the code. Values only known
#   after apply are not literals. Messages name the variable, never its value.
# custom:
#   id: CIPA-AWS-LMB-01
#   severity: critical
#   aliases: [CKV_AWS_45]
#   resource_types: [aws_lambda_function]
#   remediation: |
#     Pass a reference to the secret and read it at run time (or use the AWS Parameters and Secrets Lambda
#     Extension):
#
#       resource "aws_lambda_function" "api" {
#         # …
#         environment {
#           variables = {
#             DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn
#           }
#         }
#       }
package cipa.controls.aws.lambda_env_no_plaintext_secrets

import data.cipa.lib.network
import data.cipa.lib.tfplan

variables_path := ["environment", 0, "variables"]

scope contains address if some address in object.get(tfplan.by_type, "aws_lambda_function", set())

secret_name := `(?i)(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_?KEY|CLIENT_?KEY|SIGNING_?KEY)`

not_a_secret_name := `(?i)(^|_)(ARN|NAME|ID|IDS|PATH|PARAM|PARAMETER|SSM|URL|URI|ENDPOINT|HOST|TTL|EXPIRY|EXPIRATION|EXPIRES|LENGTH|TYPE|HEADER|FILE|REGION|ENABLED|VERSION|KEY_ID|ROTATION_DAYS)$`

reference_value := `^(arn:|\{\{resolve:|/|ssm:|secretsmanager:)`

secret_values := {
	"an AWS access key id": `(^|[^A-Za-z0-9])(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}([^A-Za-z0-9]|$)`,
	"a private key": `-----BEGIN ((RSA|DSA|EC|OPENSSH|PGP|ENCRYPTED) )?PRIVATE KEY`,
}

fail[address] contains concat("", [
	"environment variable ", name,
	" holds a plaintext value (not a reference to Secrets Manager or SSM Parameter Store)",
]) if {
	some address in scope
	function := tfplan.resources[address]
	some name, value in _variables(function)
	regex.match(secret_name, name)
	not regex.match(not_a_secret_name, name)
	_literal(value)
	not value in _store_values(function)
}

fail[address] contains concat("", ["environment variable ", name, " holds ", kind]) if {
	some address in scope
	function := tfplan.resources[address]
	some name, value in _variables(function)
	is_string(value)
	some kind, pattern in secret_values
	regex.match(pattern, value)
}

unknown[address] contains "environment[0].variables is known only after apply: its names and values cannot be checked" if {
	some address in scope
	function := tfplan.resources[address]
	tfplan.is_unknown(function, variables_path)
	network.configured_at(function, ["environment"])
}

_variables(function) := variables if {
	variables := tfplan.value(function, variables_path)
	is_object(variables)
} else := {}

_literal(value) if {
	is_string(value)
	trim_space(value) != ""
	not regex.match(reference_value, value)
	not lower(value) in {"true", "false", "null", "none"}
	not regex.match(`^[0-9]+$`, value)
	not startswith(value, "$")
}

# Known string values of the secret stores the environment refers to.
_store_values(function) := {v |
	block := tfplan.config(function)
	some ref in tfplan.expression_references(object.get(block, ["expressions", "environment"], {}))
	some key in tfplan.resolve_reference(tfplan.module_of_key(function.config_key, block), ref)
	some values in _instance_values(key)
	some attribute in ["value", "secret_string", "insecure_value", "secret_binary"]
	v := values[attribute]
	is_string(v)
}

store_types := {"aws_secretsmanager_secret_version", "aws_ssm_parameter"}

_instance_values(key) := {instance.values |
	some address in object.get(tfplan.data_by_key, key, set())
	instance := tfplan.data_instances[address]
	instance.type in store_types
} | {resource.values |
	some address in object.get(tfplan.instances, key, set())
	resource := tfplan.resources[address]
	resource.type in store_types
}
