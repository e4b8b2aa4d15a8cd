package cipa.lib.aws_s3_test

import data.cipa.lib.aws_s3

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_refs(address) := {"references": [concat("", [address, ".id"]), address]}

logging_plan := {
	"resource_changes": [
		_rc("aws_s3_bucket", "data", {"bucket": "data"}, {"id": true}),
		_rc("aws_s3_bucket", "logs", {"bucket": "logs"}, {"id": true}),
		_rc("aws_s3_bucket_logging", "data", {"target_prefix": "log/"}, {"bucket": true, "target_bucket": true}),
	],
	"configuration": {"root_module": {"resources": [
		_cfg("aws_s3_bucket", "data", {}),
		_cfg("aws_s3_bucket", "logs", {}),
		_cfg("aws_s3_bucket_logging", "data", {"bucket": _refs("aws_s3_bucket.data"), "target_bucket": _refs("aws_s3_bucket.logs")}),
	]}},
}

test_join_is_per_attribute if {
	aws_s3.siblings == {"aws_s3_bucket.data": {"aws_s3_bucket_logging.data"}} with input as logging_plan
	aws_s3.log_targets == {"aws_s3_bucket.logs"} with input as logging_plan
}

test_siblings_agree_across_engines if {
	aws_s3.siblings == {"aws_s3_bucket.data": {"aws_s3_bucket_logging.data"}} with input as logging_plan
		with data.cipa.runtime.engine as "wasm"
}

test_join_by_known_value if {
	plan := {"resource_changes": [
		_rc("aws_s3_bucket", "data", {"bucket": "data-bucket"}, {}),
		_rc("aws_s3_bucket_versioning", "data", {"bucket": "data-bucket"}, {}),
	]}
	aws_s3.siblings_of("aws_s3_bucket.data", "aws_s3_bucket_versioning") == {"aws_s3_bucket_versioning.data"} with input as plan
}

test_inline_logging_target if {
	plan := {"resource_changes": [
		_rc("aws_s3_bucket", "data", {"bucket": "data", "logging": [{"target_bucket": "logs"}]}, {}),
		_rc("aws_s3_bucket", "logs", {"bucket": "logs"}, {}),
	]}
	aws_s3.log_targets == {"aws_s3_bucket.logs"} with input as plan
}

_deferred_plan(statement, statement_unknown) := {
	"resource_changes": [
		_rc("aws_s3_bucket_policy", "p", {}, {"bucket": true, "policy": true}),
		{
			"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p",
			"change": {"actions": ["read"], "after": {"statement": [statement], "source_policy_documents": null}, "after_unknown": {"json": true, "statement": [statement_unknown]}},
		},
	],
	"configuration": {"root_module": {"resources": [
		_cfg("aws_s3_bucket_policy", "p", {"policy": {"references": ["data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p"]}}),
		{"address": "data.aws_iam_policy_document.p", "mode": "data", "type": "aws_iam_policy_document", "name": "p", "expressions": {}},
	]}},
}

tls_block := {
	"sid": "DenyHttp", "effect": "Deny", "actions": ["s3:*"], "not_actions": null, "resources": [null],
	"principals": [{"type": "*", "identifiers": ["*"]}], "not_principals": [],
	"condition": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}],
}

test_deferred_policy_document_is_rebuilt if {
	plan := _deferred_plan(tls_block, {"resources": [true]})
	aws_s3.policy_document(data.cipa.lib.tfplan.resources["aws_s3_bucket_policy.p"], "policy") == {"known": true, "document": {"Statement": [{
		"Sid": "DenyHttp", "Effect": "Deny", "Action": ["s3:*"], "Principal": "*",
		"Condition": {"Bool": {"aws:SecureTransport": ["false"]}},
	}]}} with input as plan
}

test_deferred_policy_document_principals_by_type_and_default_allow if {
	block := object.union(tls_block, {"effect": null, "condition": [], "principals": [
		{"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
		{"type": "AWS", "identifiers": ["*"]},
		{"type": "Service", "identifiers": ["logging.s3.amazonaws.com"]},
	]})
	doc := aws_s3.policy_document(data.cipa.lib.tfplan.resources["aws_s3_bucket_policy.p"], "policy") with input as _deferred_plan(block, {})
	doc.document.Statement[0].Effect == "Allow"
	doc.document.Statement[0].Principal == {"AWS": ["arn:aws:iam::1:root", "*"], "Service": ["logging.s3.amazonaws.com"]}
	not doc.document.Statement[0].Condition
}

test_deferred_policy_document_with_unknown_principals_stays_unknown if {
	plan := _deferred_plan(object.union(tls_block, {"principals": [{"type": "AWS"}]}), {"principals": [{"identifiers": true}]})
	aws_s3.policy_document(data.cipa.lib.tfplan.resources["aws_s3_bucket_policy.p"], "policy") == {"known": false} with input as plan
}
