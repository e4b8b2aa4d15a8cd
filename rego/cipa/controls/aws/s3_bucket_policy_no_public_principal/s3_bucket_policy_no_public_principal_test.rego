package cipa.controls.aws.s3_bucket_policy_no_public_principal_test

import data.cipa.controls.aws.s3_bucket_policy_no_public_principal as control

_policy(name, statements) := {
	"address": concat(".", ["aws_s3_bucket_policy", name]), "mode": "managed", "type": "aws_s3_bucket_policy", "name": name,
	"change": {"actions": ["create"], "after": {"policy": json.marshal({"Version": "2012-10-17", "Statement": statements})}, "after_unknown": {"bucket": true}},
}

_plan(statements) := {"resource_changes": [_policy("p", statements)]}

_fails(statements) if control.fail["aws_s3_bucket_policy.p"] with input as _plan(statements)

test_public_principal_forms_fail if {
	_fails([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}])
	_fails([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject"}])
	_fails([{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}, "Action": ["s3:GetObject"]}])
	_fails([{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:GetObject"}])
}

test_message_names_statement_and_actions if {
	control.fail["aws_s3_bucket_policy.p"] == {"policy statement #2 allows s3:GetObject, s3:PutObject to principal \"*\" without a condition narrowing who or from where"} with input as _plan([
		{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*"},
		{"Effect": "Allow", "Principal": "*", "Action": ["s3:PutObject", "s3:GetObject"]},
	])
}

test_narrowing_condition_passes if {
	not _fails([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}])
	not _fails([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringEquals": {"AWS:SourceVpce": "vpce-1"}}}])
	not _fails([{"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::x"}}}])
}

test_non_narrowing_condition_fails if {
	_fails([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}])
	_fails([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"StringLike": {"aws:Referer": "https://example.com/*"}}}])
	_fails([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Condition": {"Null": {"aws:SourceVpce": "false"}}}])
}

test_deny_and_named_principals_pass if {
	not _fails([{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}])
	not _fails([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:*"}])
}

test_unknown_policy_is_unknown if {
	plan := {"resource_changes": [{
		"address": "aws_s3_bucket_policy.p", "mode": "managed", "type": "aws_s3_bucket_policy", "name": "p",
		"change": {"actions": ["create"], "after": {}, "after_unknown": {"policy": true}},
	}]}
	control.unknown["aws_s3_bucket_policy.p"] == {"policy is only known after apply"} with input as plan
	not control.fail["aws_s3_bucket_policy.p"] with input as plan
}

test_bucket_without_inline_policy_is_out_of_scope if {
	plan := {
		"resource_changes": [{
			"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
			"change": {"actions": ["create"], "after": {"bucket": "b"}, "after_unknown": {"policy": true}},
		}],
		"configuration": {"root_module": {"resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "expressions": {}}]}},
	}
	count(control.scope) == 0 with input as plan
}
