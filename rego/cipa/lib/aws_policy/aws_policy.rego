# METADATA
# title: Helpers shared by the AWS identity, logging and edge controls
# description: |
#   Three-valued reads of nested block attributes with provider defaults, the managed resources one attribute
#   refers to in configuration, and the policy-document questions the IAM and KMS controls ask (full-admin
#   statements, wildcard actions, public principals).
# custom:
#   library: true
package cipa.lib.aws_policy

import data.cipa.lib.iam
import data.cipa.lib.tfplan

# --- Attributes --------------------------------------------------------------------------------------------

# True when the configuration sets the attribute at path (blocks are lists of objects in configuration
# expressions). Plans without a configuration section fall back to the planned value.
configured_at(resource, path) if {
	block := tfplan.config(resource)
	object.get(block, array.concat(["expressions"], path), null) != null
}

configured_at(resource, path) if {
	not tfplan.config(resource)
	tfplan.value(resource, path) != null
}

configured_at(resource, path) if {
	not tfplan.config(resource)
	tfplan.is_unknown(resource, path)
}

# The value at a path, nested blocks included: the planned value when known, the provider default when the
# value is null or left unset, undefined when the configuration sets it but it is only known after apply.
effective_at(resource, path, default_value) := v if {
	v := tfplan.value(resource, path)
	v != null
} else := default_value if {
	not tfplan.is_unknown(resource, path)
} else := default_value if {
	not configured_at(resource, path)
}

# True when the value at path is set in configuration but only known after apply.
undecided_at(resource, path) if {
	tfplan.is_unknown(resource, path)
	configured_at(resource, path)
}

# Managed resource instances an attribute's configuration expression refers to (through module inputs and
# outputs), e.g. the aws_kms_key behind `kms_key_id = aws_kms_key.logs.arn`.
attribute_targets(resource, attribute) := {address |
	block := tfplan.config(resource)
	some ref in tfplan.expression_references(object.get(block, ["expressions", attribute], {}))
	some target in tfplan.resolve_reference(tfplan.module_of_key(resource.config_key, block), ref)
	some address in object.get(tfplan.instances, target, set())
}

# True when the attribute holds a non-empty value after apply: a known non-empty string, or an unknown value
# computed from another resource the plan manages (an ARN or id, never null once that resource exists).
set_to_resource(resource, attribute) if {
	v := tfplan.value(resource, [attribute])
	is_string(v)
	v != ""
}

set_to_resource(resource, attribute) if {
	tfplan.is_unknown(resource, [attribute])
	count(attribute_targets(resource, attribute)) > 0
}

# True when the attribute is unset, null or empty after apply.
unset(resource, attribute) if {
	not tfplan.is_unknown(resource, [attribute])
	object.get(resource.values, attribute, null) in {null, ""}
}

# --- Policy documents --------------------------------------------------------------------------------------

# The policy document an attribute holds, like iam.document, but safe with count/for_each data sources and
# mixed expressions: {"known": true, "document": {...}} when the JSON string is in the plan, or when the attribute
# is unknown but its expression refers only to aws_iam_policy_document-like data sources read at plan time (paired
# by index) that agree on one JSON text; {"known": false} when it is only known after apply. Undefined when unset.
document(resource, attribute) := {"known": true, "document": json.unmarshal(text)} if {
	text := tfplan.value(resource, [attribute])
	is_string(text)
	json.is_valid(text)
} else := {"known": true, "document": json.unmarshal(text)} if {
	tfplan.is_unknown(resource, [attribute])
	_data_only_expression(resource, attribute)
	texts := {t |
		some address in paired_data(resource, attribute)
		instance := tfplan.data_instances[address]
		not instance.deferred
		t := object.get(instance.values, "json", null)
		is_string(t)
		json.is_valid(t)
	}
	count(texts) == 1
	some text in texts
} else := {"known": false} if {
	tfplan.is_unknown(resource, [attribute])
}

# The attribute's expression refers to data sources only (and each/count): the value is then the data source's.
_data_only_expression(resource, attribute) if {
	block := tfplan.config(resource)
	refs := tfplan.expression_references(object.get(block, ["expressions", attribute], {}))
	count(refs) > 0
	every ref in refs {
		_data_or_iteration_reference(ref)
	}
}

_data_or_iteration_reference(ref) if startswith(ref, "data.")

_data_or_iteration_reference(ref) if startswith(ref, "each.")

_data_or_iteration_reference(ref) if startswith(ref, "count.")

# Data source instances an attribute refers to; instances of count/for_each blocks pair by index with the data
# source instances of the same index when there are such instances.
paired_data(resource, attribute) := paired if {
	referenced := tfplan.referenced_data(resource, attribute)
	suffix := _index_suffix(resource.index)
	paired := {address | some address in referenced; endswith(address, suffix)}
	count(paired) > 0
} else := tfplan.referenced_data(resource, attribute)

# A part of a policy document for a message, or "(sensitive)" when the attribute holding the policy is sensitive.
policy_part(resource, attribute, value) := "(sensitive)" if {
	tfplan.is_sensitive(resource, [attribute])
} else := tfplan.display(value)

# A statement for a message: its Sid when it has one (and the policy is not sensitive), or its index.
statement_label(resource, attribute, i, statement) := tfplan.display(statement.Sid) if {
	not tfplan.is_sensitive(resource, [attribute])
	is_string(statement.Sid)
	statement.Sid != ""
} else := format_int(i, 10)

# Allow statements of a known document.
allow_statements(document) := [statement |
	some statement in iam.statements(document)
	iam.allows(statement)
]

# Actions in lower case (IAM action names are case-insensitive).
lower_actions(statement) := {lower(action) | some action in iam.actions(statement); is_string(action)}

full_wildcard_actions := {"*", "*:*"}

# The statement allows every action on every resource.
grants_full_admin(statement) if {
	iam.allows(statement)
	some action in lower_actions(statement)
	action in full_wildcard_actions
	"*" in iam.resources(statement)
}

# Actions of an Allow statement that cover a whole service ("s3:*") or every service ("*", "*:*").
wildcard_actions(statement) := {action |
	iam.allows(statement)
	some action in iam.actions(statement)
	is_string(action)
	_service_wide(lower(action))
}

_service_wide(action) if action in full_wildcard_actions

_service_wide(action) if regex.match(`^[a-z0-9-]+:\*+$`, action)

# The statement allows a wildcard principal ("*" or {"AWS": "*"}, any principal type).
allows_public_principal(statement) if {
	iam.allows(statement)
	iam.public_principal(statement)
}

# Data sources read only at apply that an attribute's configuration refers to. Instances of count/for_each
# blocks pair by index with the data source instances of the same index when there are such instances.
deferred_sources(resource, attribute) := {address |
	some address in paired_data(resource, attribute)
	tfplan.data_instances[address].deferred
}

_index_suffix(index) := concat("", ["[", json.marshal(index), "]"]) if is_string(index)

_index_suffix(index) := concat("", ["[", format_int(index, 10), "]"]) if is_number(index)
