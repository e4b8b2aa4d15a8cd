package cipa.controls.aws.lambda_env_no_plaintext_secrets_test

import data.cipa.controls.aws.lambda_env_no_plaintext_secrets as control

rc(type, name, after, after_unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown, "after_sensitive": {}},
}

cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

fn(variables, after_unknown, expressions) := {
	"resource_changes": [rc("aws_lambda_function", "f", {"function_name": "f", "environment": [{"variables": variables}]}, after_unknown)],
	"configuration": {"root_module": {"resources": [cfg("aws_lambda_function", "f", expressions)]}},
}

const_env(variables) := {"environment": [{"variables": {"constant_value": variables}}]}

test_literal_password_fails if {
	p := fn({"DB_PASSWORD": "hunter2hunter2", "LOG_LEVEL": "info"}, {}, const_env({"DB_PASSWORD": "hunter2hunter2", "LOG_LEVEL": "info"}))
	control.fail["aws_lambda_function.f"] == {"environment variable DB_PASSWORD holds a plaintext value (not a reference to Secrets Manager or SSM Parameter Store)"} with input as p
}

test_message_never_shows_value if {
	p := fn({"API_KEY": "sk_live_0123456789"}, {}, const_env({"API_KEY": "sk_live_0123456789"}))
	some message in control.fail["aws_lambda_function.f"] with input as p
	not contains(message, "sk_live")
}

test_secret_arn_passes if {
	p := fn({"DB_SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf", "API_TOKEN": "/prod/api/token"}, {}, {})
	control.scope == {"aws_lambda_function.f"} with input as p
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_unknown_value_is_not_a_literal if {
	p := fn({}, {"environment": [{"variables": {"DB_PASSWORD": true}}]}, {"environment": [{"variables": {"references": ["random_password.db.result", "random_password.db"]}}]})
	count(control.fail) == 0 with input as p
	count(control.unknown) == 0 with input as p
}

test_access_key_under_any_name_fails if {
	p := fn({"CONFIG": "AKIAIOSFODNN7EXAMPLE"}, {}, {})
	control.fail["aws_lambda_function.f"] == {"environment variable CONFIG holds an AWS access key id"} with input as p
}

test_value_read_from_ssm_data_source_passes if {
	p := {
		"resource_changes": [rc("aws_lambda_function", "f", {"environment": [{"variables": {"DB_PASSWORD": "from-ssm-value"}}]}, {})],
		"configuration": {"root_module": {"resources": [
			cfg("aws_lambda_function", "f", {"environment": [{"variables": {"references": ["data.aws_ssm_parameter.db.value", "data.aws_ssm_parameter.db"]}}]}),
			{"address": "data.aws_ssm_parameter.db", "mode": "data", "type": "aws_ssm_parameter", "name": "db", "expressions": {}},
		]}},
		"prior_state": {"values": {"root_module": {"resources": [{
			"address": "data.aws_ssm_parameter.db", "mode": "data", "type": "aws_ssm_parameter", "name": "db",
			"values": {"name": "/prod/db/password", "value": "from-ssm-value"},
		}]}}},
	}
	count(control.fail) == 0 with input as p
}

test_whole_environment_unknown_is_unknown if {
	p := fn(null, {"environment": [{"variables": true}]}, {"environment": [{"variables": {"references": ["local.env"]}}]})
	control.unknown["aws_lambda_function.f"] with input as p
}

test_non_secret_names_pass if {
	p := fn({"TOKEN_TTL": "3600", "SECRET_NAME": "prod/db", "PASSWORD_MIN_LENGTH": "12", "AUTH_ENABLED": "true"}, {}, {})
	count(control.fail) == 0 with input as p
}
