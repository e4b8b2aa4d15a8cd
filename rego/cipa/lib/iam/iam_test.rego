package cipa.lib.iam_test

import data.cipa.lib.iam

policy := {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "s3:*", "Resource": "*"}}

resource(values, unknown) := {"values": values, "unknown": unknown, "sensitive": {}, "config_key": "aws_iam_policy.p", "module": ""}

test_document_from_a_json_string if {
	iam.document(resource({"policy": json.marshal(policy)}, {}), "policy") == {"known": true, "document": policy}
}

test_document_only_known_after_apply if {
	iam.document(resource({}, {"policy": true}), "policy") == {"known": false}
}

test_document_from_a_data_source_read_at_plan_time if {
	p := {
		"configuration": {"root_module": {"resources": [{"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "expressions": {"policy": {"references": ["data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]}}}]}},
		"prior_state": {"values": {"root_module": {"resources": [{"address": "data.aws_iam_policy_document.d", "mode": "data", "type": "aws_iam_policy_document", "name": "d", "values": {"json": json.marshal(policy)}}]}}},
	}
	iam.document(resource({}, {"policy": true}), "policy") == {"known": true, "document": policy} with input as p
}

test_statement_helpers if {
	[s] := iam.statements(policy)
	iam.allows(s)
	iam.public_principal(s)
	not iam.has_condition(s)
	iam.service_wildcards(s) == {"s3:*"}
	iam.actions(s) == {"s3:*"}
	iam.resources(s) == {"*"}
}

test_principal_star_string if {
	iam.principals({"Principal": "*"}) == {"*"}
}
