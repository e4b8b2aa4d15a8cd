package cipa.lib.aws_policy_test

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

_input(after, after_unknown, expressions) := {
	"resource_changes": [
		{
			"address": "aws_thing.t",
			"mode": "managed",
			"type": "aws_thing",
			"name": "t",
			"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
		},
		{
			"address": "aws_kms_key.k",
			"mode": "managed",
			"type": "aws_kms_key",
			"name": "k",
			"change": {"actions": ["create"], "after": {}, "after_unknown": {"arn": true}},
		},
	],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_thing.t",
		"mode": "managed",
		"type": "aws_thing",
		"name": "t",
		"expressions": expressions,
	}]}},
}

_thing := tfplan.resources["aws_thing.t"]

test_effective_at_known_value if {
	aws_policy.effective_at(_thing, ["block", 0, "flag"], false) == true with input as _input({"block": [{"flag": true}]}, {}, {})
}

test_effective_at_null_is_default if {
	aws_policy.effective_at(_thing, ["block", 0, "flag"], false) == false with input as _input({"block": [{"flag": null}]}, {}, {})
}

test_effective_at_unknown_unset_is_default if {
	aws_policy.effective_at(_thing, ["block", 0, "flag"], 7) == 7 with input as _input({}, {"block": true}, {})
}

test_effective_at_unknown_configured_is_undefined if {
	inp := _input({"block": [{}]}, {"block": [{"flag": true}]}, {"block": [{"flag": {"references": ["var.x"]}}]})
	not aws_policy.effective_at(_thing, ["block", 0, "flag"], false) with input as inp
	aws_policy.undecided_at(_thing, ["block", 0, "flag"]) with input as inp
}

test_configured_at_without_configuration_uses_plan if {
	inp := {"resource_changes": [{
		"address": "aws_thing.t",
		"mode": "managed",
		"type": "aws_thing",
		"name": "t",
		"change": {"actions": ["create"], "after": {"a": 1}, "after_unknown": {"b": true}},
	}]}
	aws_policy.configured_at(_thing, ["a"]) with input as inp
	aws_policy.configured_at(_thing, ["b"]) with input as inp
	not aws_policy.configured_at(_thing, ["c"]) with input as inp
}

test_attribute_targets_and_set_to_resource if {
	inp := _input({}, {"kms_key_id": true}, {"kms_key_id": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}})
	aws_policy.attribute_targets(_thing, "kms_key_id") == {"aws_kms_key.k"} with input as inp
	aws_policy.set_to_resource(_thing, "kms_key_id") with input as inp
	not aws_policy.unset(_thing, "kms_key_id") with input as inp
}

test_unknown_from_data_is_not_set_to_resource if {
	inp := _input({}, {"kms_key_id": true}, {"kms_key_id": {"references": ["data.aws_kms_alias.a.target_key_arn", "data.aws_kms_alias.a"]}})
	not aws_policy.set_to_resource(_thing, "kms_key_id") with input as inp
	not aws_policy.unset(_thing, "kms_key_id") with input as inp
}

test_unset_values if {
	aws_policy.unset(_thing, "kms_key_id") with input as _input({"kms_key_id": ""}, {}, {})
	aws_policy.unset(_thing, "kms_key_id") with input as _input({}, {}, {})
	not aws_policy.unset(_thing, "kms_key_id") with input as _input({"kms_key_id": "arn:aws:kms:x"}, {}, {})
}

test_grants_full_admin if {
	aws_policy.grants_full_admin({"Effect": "Allow", "Action": "*", "Resource": "*"})
	aws_policy.grants_full_admin({"Effect": "Allow", "Action": ["s3:GetObject", "*:*"], "Resource": ["arn:x", "*"]})
	not aws_policy.grants_full_admin({"Effect": "Deny", "Action": "*", "Resource": "*"})
	not aws_policy.grants_full_admin({"Effect": "Allow", "Action": "*", "Resource": "arn:x"})
	not aws_policy.grants_full_admin({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})
}

test_wildcard_actions if {
	aws_policy.wildcard_actions({"Effect": "Allow", "Action": ["s3:*", "S3:Get*", "EC2:*", "*"]}) == {"s3:*", "EC2:*", "*"}
	aws_policy.wildcard_actions({"Effect": "Deny", "Action": "s3:*"}) == set()
}

test_allows_public_principal if {
	aws_policy.allows_public_principal({"Effect": "Allow", "Principal": "*"})
	aws_policy.allows_public_principal({"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root", "*"]}})
	not aws_policy.allows_public_principal({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}})
	not aws_policy.allows_public_principal({"Effect": "Deny", "Principal": "*"})
}

_instance(key) := {
	"address": concat("", ["data.aws_iam_policy_document.d[\"", key, "\"]"]),
	"mode": "data",
	"type": "aws_iam_policy_document",
	"name": "d",
	"index": key,
	"change": {"actions": ["read"], "after": {}, "after_unknown": {"json": true}},
}

_role(key) := {
	"address": concat("", ["aws_iam_role.r[\"", key, "\"]"]),
	"mode": "managed",
	"type": "aws_iam_role",
	"name": "r",
	"index": key,
	"change": {"actions": ["create"], "after": {}, "after_unknown": {"assume_role_policy": true}},
}

test_deferred_sources_pair_by_index if {
	config := {"root_module": {"resources": [{
		"address": "aws_iam_role.r",
		"mode": "managed",
		"type": "aws_iam_role",
		"name": "r",
		"expressions": {"assume_role_policy": {"references": ["data.aws_iam_policy_document.d", "each.key"]}},
	}]}}
	inp := {"resource_changes": [_instance("a"), _instance("b"), _role("a"), _role("b")], "configuration": config}
	sources := aws_policy.deferred_sources(tfplan.resources["aws_iam_role.r[\"a\"]"], "assume_role_policy") with input as inp
	sources == {"data.aws_iam_policy_document.d[\"a\"]"}
}

_doc_state(key, action) := {
	"address": concat("", ["data.aws_iam_policy_document.d[\"", key, "\"]"]),
	"mode": "data",
	"type": "aws_iam_policy_document",
	"name": "d",
	"index": key,
	"values": {"json": json.marshal({"Statement": [{"Effect": "Allow", "Action": action, "Resource": "*"}]})},
}

_policy_input(references) := {
	"resource_changes": [
		{
			"address": "aws_iam_role_policy.p[\"a\"]",
			"mode": "managed",
			"type": "aws_iam_role_policy",
			"name": "p",
			"index": "a",
			"change": {"actions": ["create"], "after": {}, "after_unknown": {"policy": true}},
		},
		{
			"address": "aws_iam_role_policy.q",
			"mode": "managed",
			"type": "aws_iam_role_policy",
			"name": "q",
			"change": {"actions": ["create"], "after": {}, "after_unknown": {"policy": true}},
		},
	],
	"prior_state": {"values": {"root_module": {"resources": [_doc_state("a", "s3:GetObject"), _doc_state("b", "*")]}}},
	"configuration": {"root_module": {"resources": [
		{
			"address": "aws_iam_role_policy.p",
			"mode": "managed",
			"type": "aws_iam_role_policy",
			"name": "p",
			"expressions": {"policy": {"references": references}},
		},
		{
			"address": "aws_iam_role_policy.q",
			"mode": "managed",
			"type": "aws_iam_role_policy",
			"name": "q",
			"expressions": {"policy": {"references": ["data.aws_iam_policy_document.d", "var.k"]}},
		},
	]}},
}

test_document_pairs_for_each_data_sources_read_at_plan if {
	inp := _policy_input(["data.aws_iam_policy_document.d", "each.key"])
	doc := aws_policy.document(tfplan.resources["aws_iam_role_policy.p[\"a\"]"], "policy") with input as inp
	doc.known
	doc.document.Statement[0].Action == "s3:GetObject"
}

test_document_with_ambiguous_data_sources_is_unknown_not_a_conflict if {
	inp := _policy_input(["data.aws_iam_policy_document.d", "each.key"])
	aws_policy.document(tfplan.resources["aws_iam_role_policy.q"], "policy") == {"known": false} with input as inp
}

test_document_mixing_data_and_resources_is_unknown if {
	inp := _policy_input(["data.aws_iam_policy_document.d", "each.key", "aws_s3_bucket.b.arn", "aws_s3_bucket.b"])
	aws_policy.document(tfplan.resources["aws_iam_role_policy.p[\"a\"]"], "policy") == {"known": false} with input as inp
}

test_document_known_string if {
	inp := {"resource_changes": [{
		"address": "aws_iam_policy.x",
		"mode": "managed",
		"type": "aws_iam_policy",
		"name": "x",
		"change": {"actions": ["create"], "after": {"policy": "{\"Statement\":[]}"}},
	}]}
	aws_policy.document(tfplan.resources["aws_iam_policy.x"], "policy") == {"known": true, "document": {"Statement": []}} with input as inp
	not aws_policy.document(tfplan.resources["aws_iam_policy.x"], "other") with input as inp
}
