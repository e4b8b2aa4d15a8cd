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

import data.cipa.lib.iam
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

# Sibling resources by the bucket they configure, built once: a group-by in a form per engine (see tfplan.wasm).
siblings := _siblings_rule if tfplan.wasm

else := {bucket: addresses |
	some bucket in {pair[0] | some pair in _sibling_pairs}
	addresses := {pair[1] | some pair in _sibling_pairs; pair[0] == bucket}
}

_siblings_rule[pair[0]] contains pair[1] if some pair in _sibling_pairs

_sibling_pairs := {[bucket, address] |
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

# --- Bucket policies ---------------------------------------------------------------------------------------

# The policy document of an attribute, like iam.document, and also when the attribute comes from an
# aws_iam_policy_document data source whose read is deferred to apply (typically because a statement names the
# ARN of a bucket created in the same plan): the document is then rebuilt from the data source's statement blocks
# when everything but their resources is known, since neither control asks about resources.
# {"known": true, "document": {...}}, {"known": false}, or undefined when the attribute is not set.
policy_document(resource, attribute) := document if {
	document := iam.document(resource, attribute)
	document.known
} else := {"known": true, "document": {"Statement": statements}} if {
	tfplan.is_unknown(resource, [attribute])
	sources := tfplan.referenced_data(resource, attribute)
	count(sources) == 1
	some address in sources
	instance := tfplan.data_instances[address]
	instance.deferred
	_statements_known(instance)
	statements := [_statement(block) | some block in instance.values.statement]
} else := iam.document(resource, attribute)

_merging_attributes := ["source_json", "override_json", "source_policy_documents", "override_policy_documents"]

_statement_fields := ["effect", "actions", "not_actions", "principals", "not_principals", "condition"]

_statements_known(instance) if {
	not tfplan.is_unknown(instance, ["statement"])
	is_array(instance.values.statement)
	every attribute in _merging_attributes {
		object.get(instance.values, attribute, null) == null
		not tfplan.is_unknown(instance, [attribute])
	}
	every i, _ in instance.values.statement {
		every field in _statement_fields {
			not _unknown_within(instance, ["statement", i, field])
		}
	}
}

# The value at path, or any value inside it, is only known after apply.
_unknown_within(instance, path) if tfplan.is_unknown(instance, path)

_unknown_within(instance, path) if {
	inner := object.get(instance.unknown, path, null)
	is_array(inner)
	walk(inner, [_, true])
}

_unknown_within(instance, path) if {
	inner := object.get(instance.unknown, path, null)
	is_object(inner)
	walk(inner, [_, true])
}

# An IAM JSON statement from an aws_iam_policy_document statement block (resources left out).
_statement(block) := object.union(
	object.union(
		object.union({"Effect": _effect(block)}, _field("Sid", object.get(block, "sid", null))),
		object.union(_field("Action", object.get(block, "actions", null)), _field("NotAction", object.get(block, "not_actions", null))),
	),
	object.union(
		object.union(
			_field("Principal", _principal(object.get(block, "principals", null))),
			_field("NotPrincipal", _principal(object.get(block, "not_principals", null))),
		),
		_field("Condition", _condition(object.get(block, "condition", null))),
	),
)

_effect(block) := "Deny" if object.get(block, "effect", null) == "Deny"

else := "Allow"

_field(_, null) := {}

_field(name, v) := {name: v} if v != null

_principal(blocks) := null if {
	not _non_empty_array(blocks)
} else := "*" if {
	some block in blocks
	block.type == "*"
} else := {type: identifiers |
	some block in blocks
	type := block.type
	identifiers := [identifier |
		some other in blocks
		other.type == type
		some identifier in other.identifiers
	]
}

_condition(blocks) := null if {
	not _non_empty_array(blocks)
} else := {test: variables |
	some block in blocks
	test := block.test
	variables := {variable: values |
		some other in blocks
		other.test == test
		variable := other.variable
		values := [v |
			some third in blocks
			third.test == test
			third.variable == variable
			some v in third.values
		]
	}
}

_non_empty_array(x) if {
	is_array(x)
	count(x) > 0
}
