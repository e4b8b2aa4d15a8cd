package cipa.controls.aws.cloudfront_viewer_https_test

import data.cipa.controls.aws.cloudfront_viewer_https as control

_input(after, after_unknown) := {"resource_changes": [{
	"address": "aws_cloudfront_distribution.d",
	"mode": "managed",
	"type": "aws_cloudfront_distribution",
	"name": "d",
	"change": {"actions": ["create"], "after": after, "after_unknown": after_unknown},
}]}

_behaviour(policy) := [{"viewer_protocol_policy": policy, "target_origin_id": "o"}]

test_https_everywhere_passes if {
	after := {
		"default_cache_behavior": _behaviour("redirect-to-https"),
		"ordered_cache_behavior": [{"path_pattern": "/api/*", "viewer_protocol_policy": "https-only"}],
	}
	control.scope["aws_cloudfront_distribution.d"] with input as _input(after, {})
	not control.fail["aws_cloudfront_distribution.d"] with input as _input(after, {})
	not control.unknown["aws_cloudfront_distribution.d"] with input as _input(after, {})
}

test_default_allow_all_fails if {
	inp := _input({"default_cache_behavior": _behaviour("allow-all"), "ordered_cache_behavior": []}, {})
	control.fail["aws_cloudfront_distribution.d"] == {"default_cache_behavior.viewer_protocol_policy = \"allow-all\""} with input as inp
}

test_ordered_allow_all_fails if {
	after := {
		"default_cache_behavior": _behaviour("https-only"),
		"ordered_cache_behavior": [
			{"path_pattern": "/api/*", "viewer_protocol_policy": "https-only"},
			{"path_pattern": "/img/*", "viewer_protocol_policy": "allow-all"},
		],
	}
	msg := "ordered_cache_behavior[1] (/img/*).viewer_protocol_policy = \"allow-all\""
	control.fail["aws_cloudfront_distribution.d"] == {msg} with input as _input(after, {})
}

test_unknown_policy_is_unknown if {
	after := {"default_cache_behavior": [{"target_origin_id": "o"}]}
	inp := _input(after, {"default_cache_behavior": [{"viewer_protocol_policy": true}]})
	control.unknown["aws_cloudfront_distribution.d"] == {"default_cache_behavior.viewer_protocol_policy is only known after apply"} with input as inp
	not control.fail["aws_cloudfront_distribution.d"] with input as inp
}

test_missing_behaviour_is_unknown if {
	inp := _input(null, {"logging_config": [{"bucket": true}]})
	control.unknown["aws_cloudfront_distribution.d"] == {"default_cache_behavior is not in the plan"} with input as inp
}
