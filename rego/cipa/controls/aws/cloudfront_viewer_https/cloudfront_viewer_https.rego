# METADATA
# title: CloudFront serves viewers over HTTPS only
# description: |
#   Every cache behaviour of a CloudFront distribution (aws_cloudfront_distribution), the default one and each
#   ordered one, sets viewer_protocol_policy to https-only or redirect-to-https; allow-all serves content over
#   plain HTTP. A policy known only after apply, or behaviours missing from the plan, leave the distribution
#   undecided.
# custom:
#   id: CIPA-AWS-CDN-01
#   severity: high
#   aliases: [CKV_AWS_34, AVD-AWS-0012]
#   resource_types: [aws_cloudfront_distribution]
#   remediation: |
#     Redirect viewers to HTTPS on every cache behaviour:
#
#       resource "aws_cloudfront_distribution" "this" {
#         # ...
#         default_cache_behavior {
#           viewer_protocol_policy = "redirect-to-https"
#           # ...
#         }
#
#         ordered_cache_behavior {
#           path_pattern           = "/static/*"
#           viewer_protocol_policy = "https-only"
#           # ...
#         }
#       }
package cipa.controls.aws.cloudfront_viewer_https

import data.cipa.lib.tfplan

_secure := {"https-only", "redirect-to-https"}

scope contains address if some address in tfplan.by_type.aws_cloudfront_distribution

fail[address] contains concat("", [label, ".viewer_protocol_policy = ", tfplan.shown(distribution, path)]) if {
	some address in scope
	distribution := tfplan.resources[address]
	some [label, path] in _behaviours(distribution)
	policy := tfplan.value(distribution, path)
	is_string(policy)
	not policy in _secure
}

unknown[address] contains concat("", [label, ".viewer_protocol_policy is only known after apply"]) if {
	some address in scope
	distribution := tfplan.resources[address]
	some [label, path] in _behaviours(distribution)
	tfplan.is_unknown(distribution, path)
}

unknown[address] contains "default_cache_behavior is not in the plan" if {
	some address in scope
	distribution := tfplan.resources[address]
	tfplan.value(distribution, ["default_cache_behavior", 0, "viewer_protocol_policy"]) == null
	not tfplan.is_unknown(distribution, ["default_cache_behavior", 0, "viewer_protocol_policy"])
}

unknown[address] contains "ordered_cache_behavior is only known after apply" if {
	some address in scope
	tfplan.is_unknown(tfplan.resources[address], ["ordered_cache_behavior"])
}

# [label for messages, path of viewer_protocol_policy] of every cache behaviour in the plan.
_behaviours(distribution) := array.concat(
	[["default_cache_behavior", ["default_cache_behavior", 0, "viewer_protocol_policy"]]],
	[[label, ["ordered_cache_behavior", i, "viewer_protocol_policy"]] |
		some i, behaviour in object.get(distribution.values, "ordered_cache_behavior", [])
		label := concat("", ["ordered_cache_behavior[", format_int(i, 10), "] (", _pattern(distribution, i, behaviour), ")"])
	],
)

_pattern(distribution, i, behaviour) := "path_pattern sensitive" if {
	tfplan.is_sensitive(distribution, ["ordered_cache_behavior", i, "path_pattern"])
} else := behaviour.path_pattern if is_string(behaviour.path_pattern)

else := "path_pattern unknown"
