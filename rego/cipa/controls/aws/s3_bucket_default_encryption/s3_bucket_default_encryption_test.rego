package cipa.controls.aws.s3_bucket_default_encryption_test

import data.cipa.controls.aws.s3_bucket_default_encryption as control

_bucket(name, after, unknown) := {
	"address": concat(".", ["aws_s3_bucket", name]), "mode": "managed", "type": "aws_s3_bucket", "name": name,
	"change": {"actions": ["create"], "after": object.union({"bucket": name}, after), "after_unknown": unknown},
}

_sse(name, after, unknown) := {
	"address": concat(".", ["aws_s3_bucket_server_side_encryption_configuration", name]), "mode": "managed",
	"type": "aws_s3_bucket_server_side_encryption_configuration", "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": object.union({"bucket": true, "id": true}, unknown)},
}

_config(address, type, name, expressions) := {"address": address, "mode": "managed", "type": type, "name": name, "expressions": expressions}

_sse_config(name, bucket) := _config(
	concat(".", ["aws_s3_bucket_server_side_encryption_configuration", name]),
	"aws_s3_bucket_server_side_encryption_configuration", name,
	{"bucket": {"references": [concat("", ["aws_s3_bucket.", bucket, ".id"]), concat(".", ["aws_s3_bucket", bucket])]}},
)

_bucket_config(name, expressions) := _config(concat(".", ["aws_s3_bucket", name]), "aws_s3_bucket", name, expressions)

_rule(algorithm) := [{"apply_server_side_encryption_by_default": [{"sse_algorithm": algorithm}]}]

v4_unknown := {"id": true, "server_side_encryption_configuration": true}

test_v3_inline_encryption_passes if {
	plan := {
		"resource_changes": [_bucket("a", {"server_side_encryption_configuration": [{"rule": _rule("AES256")}]}, {})],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {"server_side_encryption_configuration": [{"rule": [{}]}]})]}},
	}
	control.scope == {"aws_s3_bucket.a"} with input as plan
	count(control.fail) == 0 with input as plan
	count(control.unknown) == 0 with input as plan
}

test_v4_bucket_without_declaration_fails_even_though_inline_is_computed if {
	plan := {
		"resource_changes": [_bucket("a", {}, v4_unknown)],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {"bucket": {"constant_value": "a"}})]}},
	}
	control.fail["aws_s3_bucket.a"] with input as plan
	not control.unknown["aws_s3_bucket.a"] with input as plan
}

test_sibling_joined_by_reference_while_bucket_id_unknown_passes if {
	plan := {
		"resource_changes": [_bucket("a", {}, v4_unknown), _sse("a", {"rule": _rule("aws:kms")}, {})],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {}), _sse_config("a", "a")]}},
	}
	count(control.fail) == 0 with input as plan
	count(control.unknown) == 0 with input as plan
}

test_sibling_joined_by_known_bucket_name_passes if {
	plan := {"resource_changes": [
		_bucket("a", {}, v4_unknown),
		_sse("a", {"bucket": "a", "rule": _rule("AES256")}, {"bucket": false}),
	]}
	count(control.fail) == 0 with input as plan
}

test_sibling_for_another_bucket_does_not_count if {
	plan := {
		"resource_changes": [_bucket("a", {}, {}), _bucket("b", {}, {}), _sse("b", {"rule": _rule("AES256")}, {})],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {}), _bucket_config("b", {}), _sse_config("b", "b")]}},
	}
	control.fail["aws_s3_bucket.a"] with input as plan
	not control.fail["aws_s3_bucket.b"] with input as plan
}

test_sibling_rules_unknown_is_unknown if {
	plan := {
		"resource_changes": [_bucket("a", {}, v4_unknown), _sse("a", {}, {"rule": true})],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {}), _sse_config("a", "a")]}},
	}
	control.unknown["aws_s3_bucket.a"] == {"aws_s3_bucket_server_side_encryption_configuration.a sets rule only after apply"} with input as plan
	not control.fail["aws_s3_bucket.a"] with input as plan
}

test_unknown_algorithm_is_unknown if {
	plan := {
		"resource_changes": [
			_bucket("a", {}, v4_unknown),
			_sse("a", {"rule": [{"apply_server_side_encryption_by_default": [{}]}]}, {"rule": [{"apply_server_side_encryption_by_default": [{"sse_algorithm": true}]}]}),
		],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {}), _sse_config("a", "a")]}},
	}
	control.unknown["aws_s3_bucket.a"] with input as plan
	not control.fail["aws_s3_bucket.a"] with input as plan
}

test_rule_without_default_encryption_fails if {
	plan := {
		"resource_changes": [_bucket("a", {}, v4_unknown), _sse("a", {"rule": [{"bucket_key_enabled": true}]}, {})],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {}), _sse_config("a", "a")]}},
	}
	control.fail["aws_s3_bucket.a"] == {"aws_s3_bucket_server_side_encryption_configuration.a has a rule without apply_server_side_encryption_by_default"} with input as plan
}

test_empty_algorithm_fails_and_names_the_value if {
	plan := {
		"resource_changes": [_bucket("a", {"server_side_encryption_configuration": [{"rule": _rule("")}]}, {})],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {"server_side_encryption_configuration": [{}]})]}},
	}
	control.fail["aws_s3_bucket.a"] == {"aws_s3_bucket.a sets sse_algorithm = \"\""} with input as plan
}

test_one_encrypting_declaration_wins_over_an_unknown_one if {
	plan := {
		"resource_changes": [
			_bucket("a", {}, v4_unknown), _sse("a", {"rule": _rule("AES256")}, {}),
			object.union(_sse("b", {}, {"rule": true}), {"address": "aws_s3_bucket_server_side_encryption_configuration.b"}),
		],
		"configuration": {"root_module": {"resources": [_bucket_config("a", {}), _sse_config("a", "a"), _sse_config("b", "a")]}},
	}
	count(control.fail) == 0 with input as plan
	count(control.unknown) == 0 with input as plan
}

test_deleted_bucket_out_of_scope if {
	plan := {"resource_changes": [object.union(_bucket("a", {}, {}), {"change": {"actions": ["delete"], "after": null}})]}
	count(control.scope) == 0 with input as plan
}
