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
