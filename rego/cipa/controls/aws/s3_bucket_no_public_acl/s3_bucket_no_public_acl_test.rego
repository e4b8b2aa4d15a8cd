package cipa.controls.aws.s3_bucket_no_public_acl_test

import data.cipa.controls.aws.s3_bucket_no_public_acl as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

all_users := "http://acs.amazonaws.com/groups/global/AllUsers"

test_public_canned_acls_fail if {
	plan := {"resource_changes": [
		_rc("aws_s3_bucket", "a", {"acl": "public-read"}, {}),
		_rc("aws_s3_bucket", "b", {"acl": "authenticated-read"}, {}),
		_rc("aws_s3_bucket_acl", "c", {"acl": "public-read-write"}, {}),
		_rc("aws_s3_bucket", "d", {"acl": "private"}, {}),
		_rc("aws_s3_bucket_acl", "e", {"acl": "log-delivery-write"}, {}),
	]}
	control.fail["aws_s3_bucket.a"] == {"acl = \"public-read\""} with input as plan
	control.fail["aws_s3_bucket.b"] with input as plan
	control.fail["aws_s3_bucket_acl.c"] with input as plan
	not control.fail["aws_s3_bucket.d"] with input as plan
	not control.fail["aws_s3_bucket_acl.e"] with input as plan
	count(control.scope) == 5 with input as plan
}

test_unset_acl_is_private if {
	plan := {
		"resource_changes": [_rc("aws_s3_bucket", "a", {"bucket": "a"}, {"acl": true, "grant": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_s3_bucket", "a", {})]}},
	}
	count(control.fail) == 0 with input as plan
	count(control.unknown) == 0 with input as plan
}

test_configured_unknown_acl_is_unknown if {
	plan := {
		"resource_changes": [_rc("aws_s3_bucket_acl", "a", {}, {"acl": true, "access_control_policy": true})],
		"configuration": {"root_module": {"resources": [_cfg("aws_s3_bucket_acl", "a", {"acl": {"references": ["var.acl"]}})]}},
	}
	control.unknown["aws_s3_bucket_acl.a"] == {"acl is only known after apply"} with input as plan
	not control.fail["aws_s3_bucket_acl.a"] with input as plan
}

test_bucket_grant_to_all_users_fails if {
	plan := {"resource_changes": [_rc("aws_s3_bucket", "a", {"grant": [{"permissions": ["WRITE", "READ"], "type": "Group", "uri": all_users}]}, {})]}
	control.fail["aws_s3_bucket.a"] == {concat("", ["grant to ", all_users, " with permission READ, WRITE"])} with input as plan
}

test_access_control_policy_grant_fails if {
	plan := {"resource_changes": [_rc(
		"aws_s3_bucket_acl", "a", {"access_control_policy": [{"grant": [
			{"grantee": [{"type": "CanonicalUser", "id": "abc", "uri": null}], "permission": "FULL_CONTROL"},
			{"grantee": [{"type": "Group", "uri": all_users}], "permission": "READ"},
		]}]},
		{},
	)]}
	control.fail["aws_s3_bucket_acl.a"] == {concat("", ["grant to ", all_users, " with permission READ"])} with input as plan
}

test_canonical_user_grant_passes if {
	plan := {"resource_changes": [_rc("aws_s3_bucket_acl", "a", {"access_control_policy": [{"grant": [{"grantee": [{"type": "CanonicalUser", "id": "abc"}], "permission": "FULL_CONTROL"}]}]}, {})]}
	count(control.fail) == 0 with input as plan
}
