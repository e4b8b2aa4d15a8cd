package cipa.controls.aws.s3_public_access_block_test

import data.cipa.controls.aws.s3_public_access_block as control

all_on := {"block_public_acls": true, "block_public_policy": true, "ignore_public_acls": true, "restrict_public_buckets": true}

rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

block_config(name, bucket, expressions) := {
	"address": concat(".", ["aws_s3_bucket_public_access_block", name]),
	"mode": "managed",
	"type": "aws_s3_bucket_public_access_block",
	"name": name,
	"expressions": object.union({"bucket": {"references": [concat("", ["aws_s3_bucket.", bucket, ".id"]), concat(".", ["aws_s3_bucket", bucket])]}}, expressions),
}

plan(blocks, unknown, expressions) := {
	"resource_changes": [rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true}), rc("aws_s3_bucket_public_access_block", "b", blocks, unknown)],
	"configuration": {"root_module": {"resources": [
		{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "expressions": {}},
		block_config("b", "b", expressions),
	]}},
}

test_a_block_joined_by_reference_with_all_settings_passes if {
	p := plan(all_on, {"bucket": true}, {})
	control.scope == {"aws_s3_bucket.b"} with input as p
	not control.fail["aws_s3_bucket.b"] with input as p
	not control.unknown["aws_s3_bucket.b"] with input as p
}

test_a_setting_left_off_fails_naming_it if {
	p := plan(object.union(all_on, {"ignore_public_acls": false}), {"bucket": true}, {})
	control.fail["aws_s3_bucket.b"] == {"aws_s3_bucket_public_access_block.b sets ignore_public_acls = false"} with input as p
}

test_a_setting_known_only_after_apply_is_unknown if {
	p := plan(object.remove(all_on, ["block_public_policy"]), {"bucket": true, "block_public_policy": true}, {"block_public_policy": {"references": ["var.x"]}})
	control.unknown["aws_s3_bucket.b"] == {"aws_s3_bucket_public_access_block.b sets block_public_policy only after apply"} with input as p
	not control.fail["aws_s3_bucket.b"] with input as p
}

test_no_block_at_all_fails if {
	p := {"resource_changes": [rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true})]}
	control.fail["aws_s3_bucket.b"] == {"no aws_s3_bucket_public_access_block refers to this bucket and the plan has no account-level block"} with input as p
}

test_an_account_level_block_covers_every_bucket if {
	p := {"resource_changes": [rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true}), rc("aws_s3_account_public_access_block", "a", all_on, {})]}
	not control.fail["aws_s3_bucket.b"] with input as p
	not control.unknown["aws_s3_bucket.b"] with input as p
}

test_a_weak_account_level_block_does_not if {
	p := {"resource_changes": [rc("aws_s3_bucket", "b", {"bucket": "b"}, {"id": true}), rc("aws_s3_account_public_access_block", "a", object.union(all_on, {"restrict_public_buckets": false}), {})]}
	control.fail["aws_s3_bucket.b"] == {"aws_s3_account_public_access_block.a sets restrict_public_buckets = false"} with input as p
}
