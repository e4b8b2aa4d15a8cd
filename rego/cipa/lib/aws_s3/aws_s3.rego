# METADATA
# title: S3 bucket joins
# description: |
#   Joins the S3 bucket settings that provider v4+ moved into sibling resources (aws_s3_bucket_versioning,
#   _logging, _acl, _policy, _server_side_encryption_configuration, …) to the bucket they configure, by the
#   attribute that names the bucket: its configuration references (so the join holds while the bucket's id is only
#   known after apply, through modules and count/for_each) or its known value (a bucket name or id). Unlike
#   tfplan.links, the join is per attribute, so an aws_s3_bucket_logging joins its `bucket` to the bucket it
#   configures and its `target_bucket` to the bucket receiving the logs.
# custom:
#   library: true
package cipa.lib.aws_s3

import data.cipa.lib.tfplan

# Lookups into rules whose keys are computed (tfplan.config_resources, tfplan.links, tfplan.identified_by, siblings)
# go through object.get on the whole rule: a keyed reference makes the native evaluator re-run the rule body for
# every key asked, which is quadratic on large plans; the whole rule is evaluated once and cached.

# Sibling resource types that configure one bucket through their `bucket` attribute.
sibling_types := {
	"aws_s3_bucket_acl",
	"aws_s3_bucket_logging",
	"aws_s3_bucket_policy",
	"aws_s3_bucket_server_side_encryption_configuration",
	"aws_s3_bucket_versioning",
	"aws_s3_bucket_ownership_controls",
}

# Addresses of the aws_s3_bucket instances that the value at `path` (an attribute, or a path into nested blocks
# such as ["logging", 0, "target_bucket"]) of a resource names.
bucket_targets(resource, path) := _targets_by_reference(resource, path) | _targets_by_value(resource, path)

_targets_by_reference(resource, path) := {target |
	block := object.get(tfplan.config_resources, resource.config_key, null)
	block != null
	module := tfplan.module_of_key(resource.config_key, block)
	keys := {key |
		some ref in tfplan.expression_references(object.get(block, array.concat(["expressions"], path), {}))
		some key in tfplan.resolve_reference(module, ref)
	}
	some target in object.get(tfplan.links, resource.address, set())
	bucket := tfplan.resources[target]
	bucket.type == "aws_s3_bucket"
	bucket.config_key in keys
}

_targets_by_value(resource, path) := {target |
	v := tfplan.value(resource, path)
	is_string(v)
	some target in object.get(tfplan.identified_by, v, set())
	target != resource.address
	tfplan.resources[target].type == "aws_s3_bucket"
}

# Sibling resources by the bucket they configure, built once.
siblings[bucket] contains address if {
	some type in sibling_types
	some address in object.get(tfplan.by_type, type, set())
	some bucket in bucket_targets(tfplan.resources[address], ["bucket"])
}

# Sibling resources of one type configuring a bucket.
siblings_of(bucket, type) := {address |
	some address in object.get(siblings, bucket, set())
	tfplan.resources[address].type == type
}

# Buckets that receive another bucket's access logs, by the bucket that logs to them (aws_s3_bucket_logging
# `target_bucket`, or an inline `logging` block of a provider v3 bucket).
log_targets contains target if {
	some address in object.get(tfplan.by_type, "aws_s3_bucket_logging", set())
	some target in bucket_targets(tfplan.resources[address], ["target_bucket"])
}

log_targets contains target if {
	some address in object.get(tfplan.by_type, "aws_s3_bucket", set())
	bucket := tfplan.resources[address]
	logging := tfplan.value(bucket, ["logging"])
	is_array(logging)
	some i, _ in logging
	some target in bucket_targets(bucket, ["logging", i, "target_bucket"])
}

# Canned ACLs that grant access beyond the bucket owner's account.
public_canned_acls := {"public-read", "public-read-write", "authenticated-read"}

# Grantee groups that stand for everyone, or for every AWS account.
public_group_uris := {
	"http://acs.amazonaws.com/groups/global/AllUsers",
	"http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}
