package cipa.controls.aws.sqs_sns_encrypted_test

import data.cipa.controls.aws.sqs_sns_encrypted as control

_rc(type, name, after, unknown) := {
	"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name,
	"change": {"actions": ["create"], "after": after, "after_unknown": unknown},
}

_cfg(type, name, expressions) := {"address": concat(".", [type, name]), "mode": "managed", "type": type, "name": name, "expressions": expressions}

_plan(type, after, unknown, expressions) := {
	"resource_changes": [_rc(type, "a", after, unknown)],
	"configuration": {"root_module": {"resources": [_cfg(type, "a", expressions)]}},
}

_status(plan, address) := "fail" if {
	control.fail[address] with input as plan
} else := "unknown" if {
	control.unknown[address] with input as plan
} else := "pass" if {
	control.scope[address] with input as plan
} else := "out of scope"

_c(v) := {"constant_value": v}

_var := {"references": ["var.x"]}

test_sqs_decisions if {
	_status(_plan("aws_sqs_queue", {"sqs_managed_sse_enabled": true}, {}, {"sqs_managed_sse_enabled": _c(true)}), "aws_sqs_queue.a") == "pass"
	_status(_plan("aws_sqs_queue", {"kms_master_key_id": "alias/aws/sqs"}, {}, {"kms_master_key_id": _c("alias/aws/sqs")}), "aws_sqs_queue.a") == "pass"
	_status(_plan("aws_sqs_queue", {}, {"kms_master_key_id": true}, {"kms_master_key_id": {"references": ["aws_kms_key.k.id", "aws_kms_key.k"]}}), "aws_sqs_queue.a") == "pass"
	_status(_plan("aws_sqs_queue", {"sqs_managed_sse_enabled": false}, {}, {"sqs_managed_sse_enabled": _c(false)}), "aws_sqs_queue.a") == "fail"
	_status(_plan("aws_sqs_queue", {}, {"sqs_managed_sse_enabled": true, "kms_master_key_id": true}, {}), "aws_sqs_queue.a") == "fail"
	_status(_plan("aws_sqs_queue", {}, {"sqs_managed_sse_enabled": true}, {"sqs_managed_sse_enabled": _var}), "aws_sqs_queue.a") == "unknown"
	_status(_plan("aws_sqs_queue", {"kms_master_key_id": ""}, {}, {"kms_master_key_id": _c("")}), "aws_sqs_queue.a") == "fail"
}

test_sns_decisions if {
	_status(_plan("aws_sns_topic", {"kms_master_key_id": "alias/aws/sns"}, {}, {"kms_master_key_id": _c("alias/aws/sns")}), "aws_sns_topic.a") == "pass"
	_status(_plan("aws_sns_topic", {"kms_master_key_id": null}, {}, {}), "aws_sns_topic.a") == "fail"
	_status(_plan("aws_sns_topic", {}, {"kms_master_key_id": true}, {"kms_master_key_id": _var}), "aws_sns_topic.a") == "pass"
}

test_messages if {
	control.fail["aws_sqs_queue.a"] == {"sqs_managed_sse_enabled = false and no kms_master_key_id"} with input as _plan("aws_sqs_queue", {"sqs_managed_sse_enabled": false}, {}, {"sqs_managed_sse_enabled": _c(false)})
	control.fail["aws_sns_topic.a"] == {"kms_master_key_id is not set: the topic is not encrypted at rest"} with input as _plan("aws_sns_topic", {}, {}, {})
}
