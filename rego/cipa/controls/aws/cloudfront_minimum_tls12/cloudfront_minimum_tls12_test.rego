package cipa.controls.aws.cloudfront_minimum_tls12_test

import data.cipa.controls.aws.cloudfront_minimum_tls12 as control

_input(certificate, certificate_unknown, certificate_expressions) := {
	"resource_changes": [{
		"address": "aws_cloudfront_distribution.d",
		"mode": "managed",
		"type": "aws_cloudfront_distribution",
		"name": "d",
		"change": {
			"actions": ["create"],
			"after": {"viewer_certificate": [certificate]},
			"after_unknown": {"viewer_certificate": [certificate_unknown]},
		},
	}],
	"configuration": {"root_module": {"resources": [{
		"address": "aws_cloudfront_distribution.d",
		"mode": "managed",
		"type": "aws_cloudfront_distribution",
		"name": "d",
		"expressions": {"viewer_certificate": [certificate_expressions]},
	}]}},
}

_own := {"acm_certificate_arn": "arn:aws:acm:us-east-1:111122223333:certificate/c", "cloudfront_default_certificate": false}

test_tls12_passes if {
	inp := _input(object.union(_own, {"minimum_protocol_version": "TLSv1.2_2021"}), {}, {"minimum_protocol_version": {"constant_value": "TLSv1.2_2021"}})
	control.scope["aws_cloudfront_distribution.d"] with input as inp
	not control.fail["aws_cloudfront_distribution.d"] with input as inp
	not control.unknown["aws_cloudfront_distribution.d"] with input as inp
}

test_old_version_fails if {
	inp := _input(object.union(_own, {"minimum_protocol_version": "TLSv1.1_2016"}), {}, {"minimum_protocol_version": {"constant_value": "TLSv1.1_2016"}})
	control.fail["aws_cloudfront_distribution.d"] == {"viewer_certificate.minimum_protocol_version = \"TLSv1.1_2016\" (TLSv1.2_* or later)"} with input as inp
}

test_default_certificate_fails if {
	inp := _input({"cloudfront_default_certificate": true, "minimum_protocol_version": "TLSv1"}, {}, {"cloudfront_default_certificate": {"constant_value": true}})
	control.fail["aws_cloudfront_distribution.d"] == {"viewer_certificate.cloudfront_default_certificate = true: the default certificate allows TLSv1"} with input as inp
}

test_unset_version_is_tlsv1 if {
	inp := _input(_own, {}, {})
	control.fail["aws_cloudfront_distribution.d"] == {"viewer_certificate.minimum_protocol_version = (not set, default TLSv1) (TLSv1.2_* or later)"} with input as inp
}

test_unknown_version_is_unknown if {
	inp := _input(_own, {"minimum_protocol_version": true}, {"minimum_protocol_version": {"references": ["var.tls"]}})
	control.unknown["aws_cloudfront_distribution.d"] with input as inp
	not control.fail["aws_cloudfront_distribution.d"] with input as inp
}
