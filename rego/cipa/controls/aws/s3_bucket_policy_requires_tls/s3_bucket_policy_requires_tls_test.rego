package cipa.controls.aws.s3_bucket_policy_requires_tls_test

import data.cipa.controls.aws.s3_bucket_policy_requires_tls as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_doc(statements) := json.marshal({"Version": "2012-10-17", "Statement": statements})

deny_http := {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}

_plan(statements) := {"resource_changes": [_rc("aws_s3_bucket_policy", "p", {"policy": _doc(statements)}, {"bucket": true})]}

_passes(statements) if {
	not control.fail["aws_s3_bucket_policy.p"] with input as _plan(statements)
	control.scope["aws_s3_bucket_policy.p"] with input as _plan(statements)
}

test_deny_without_tls_passes if {
	_passes([deny_http])
	_passes([object.union(deny_http, {"Principal": {"AWS": "*"}, "Action": ["s3:*"], "Condition": {"BoolIfExists": {"aws:securetransport": ["false"]}}})])
	_passes([object.union(deny_http, {"Action": "*", "Condition": {"Bool": {"aws:SecureTransport": false}}})])
}

test_partial_or_missing_deny_fails if {
	not _passes([object.union(deny_http, {"Action": "s3:GetObject"})])
	not _passes([object.union(deny_http, {"Effect": "Allow"})])
	not _passes([object.union(deny_http, {"Principal": {"AWS": "arn:aws:iam::1:root"}})])
	not _passes([object.union(deny_http, {"Condition": {"Bool": {"aws:SecureTransport": "true"}}})])
	not _passes([{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "s3:*"}])
}

test_bucket_with_policy_resource_is_decided_on_the_policy if {
	plan := {
		"resource_changes": [
			_rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true, "policy": true}),
			_rc("aws_s3_bucket_policy", "p", {"policy": _doc([deny_http])}, {"bucket": true}),
		],
		"configuration": {"root_module": {"resources": [
			_cfg("aws_s3_bucket", "b", {}),
			_cfg("aws_s3_bucket_policy", "p", {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}),
		]}},
	}
	control.scope == {"aws_s3_bucket_policy.p"} with input as plan
	count(control.fail) == 0 with input as plan
}

test_bucket_without_any_policy_fails if {
	plan := {
		"resource_changes": [_rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true, "policy": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_s3_bucket", "b", {})]}},
	}
	control.fail["aws_s3_bucket.b"] == {"no bucket policy: neither an inline policy nor an aws_s3_bucket_policy refers to this bucket"} with input as plan
}

test_inline_policy_unknown_is_unknown if {
	plan := {
		"resource_changes": [_rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true, "policy": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_s3_bucket", "b", {"policy": {"references": ["var.policy"]}})]}},
	}
	control.unknown["aws_s3_bucket.b"] == {"policy is only known after apply"} with input as plan
	not control.fail["aws_s3_bucket.b"] with input as plan
}
