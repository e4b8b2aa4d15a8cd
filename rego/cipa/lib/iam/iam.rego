# METADATA
# title: IAM-style policy documents
# description: |
#   Reads JSON-in-string policy attributes (IAM, bucket, key, queue and topic policies) and the
#   aws_iam_policy_document data sources they come from, and answers questions about their statements.
# custom:
#   library: true
package cipa.lib.iam

import data.cipa.lib.tfplan

# The policy document held by an attribute: {"known": true, "document": {...}} when it can be read at plan
# time, {"known": false} when it is only known after apply. Undefined when the attribute is not set.
document(resource, attribute) := {"known": true, "document": json.unmarshal(text)} if {
	text := tfplan.value(resource, [attribute])
	is_string(text)
	json.is_valid(text)
} else := {"known": true, "document": json.unmarshal(text)} if {
	# An unknown attribute whose expression only reads data sources read at plan time: the document is their
	# JSON. Exactly one distinct text, else the caller cannot know which instance applies.
	tfplan.is_unknown(resource, [attribute])
	count(tfplan.referenced_managed(resource, attribute)) == 0
	texts := {text |
		some address in tfplan.referenced_data(resource, attribute)
		instance := tfplan.data_instances[address]
		not instance.deferred
		text := object.get(instance.values, "json", null)
		is_string(text)
		json.is_valid(text)
	}
	count(texts) == 1
	some text in texts
} else := {"known": false} if {
	tfplan.is_unknown(resource, [attribute])
}

# Statements of a document: a single statement object or a list.
statements(document) := [statement] if {
	statement := document.Statement
	is_object(statement)
} else := statements if {
	statements := document.Statement
	is_array(statements)
} else := []

allows(statement) if statement.Effect == "Allow"

# A value that may be a string or a list, as a set.
as_set(x) := {x} if is_string(x)

else := {v | some v in x} if is_array(x)

else := set()

actions(statement) := as_set(object.get(statement, "Action", []))

resources(statement) := as_set(object.get(statement, "Resource", []))

# Every principal named by a statement ("*" or the values of {"AWS": …, "Service": …, …}).
principals(statement) := {"*"} if {
	statement.Principal == "*"
} else := {p |
	some values in object.get(statement, "Principal", {})
	some p in as_set(values)
}

# The statement applies to anyone.
public_principal(statement) if "*" in principals(statement)

has_condition(statement) if count(object.get(statement, "Condition", {})) > 0

# Service-wide wildcard actions such as "s3:*" (but not "*" itself).
service_wildcards(statement) := {action |
	some action in actions(statement)
	endswith(action, ":*")
}
