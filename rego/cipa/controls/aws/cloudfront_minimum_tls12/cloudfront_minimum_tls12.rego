# METADATA
# title: CloudFront requires TLS 1.2 or later from viewers
# description: |
#   Every CloudFront distribution (aws_cloudfront_distribution) serves a certificate of its own with
#   viewer_certificate.minimum_protocol_version TLSv1.2_* (or later). The default CloudFront certificate
#   (cloudfront_default_certificate = true) always allows TLSv1 and fails; an unset minimum_protocol_version is
#   TLSv1. A setting known only after apply leaves the distribution undecided.
# custom:
#   id: CIPA-AWS-CDN-02
#   severity: medium
#   aliases: [CKV_AWS_174, AVD-AWS-0013]
#   resource_types: [aws_cloudfront_distribution]
#   remediation: |
#     Serve your own certificate and require TLS 1.2:
#
#       resource "aws_cloudfront_distribution" "this" {
#         # ...
#         viewer_certificate {
#           acm_certificate_arn      = aws_acm_certificate.this.arn
#           ssl_support_method       = "sni-only"
#           minimum_protocol_version = "TLSv1.2_2021"
#         }
#       }
package cipa.controls.aws.cloudfront_minimum_tls12

import data.cipa.lib.aws_policy
import data.cipa.lib.tfplan

_certificate := ["viewer_certificate", 0]

scope contains address if some address in tfplan.by_type.aws_cloudfront_distribution

fail[address] contains "viewer_certificate.cloudfront_default_certificate = true: the default certificate allows TLSv1" if {
	some address in scope
	tfplan.value(tfplan.resources[address], array.concat(_certificate, ["cloudfront_default_certificate"])) == true
}

fail[address] contains concat("", ["viewer_certificate.minimum_protocol_version = ", _shown(distribution), " (TLSv1.2_* or later)"]) if {
	some address in scope
	distribution := tfplan.resources[address]
	not _default_certificate(distribution)
	_has_certificate(distribution)
	version := aws_policy.effective_at(distribution, array.concat(_certificate, ["minimum_protocol_version"]), "TLSv1")
	not regex.match(`^TLSv1\.[2-9]_`, version)
}

unknown[address] contains "viewer_certificate.minimum_protocol_version is only known after apply" if {
	some address in scope
	distribution := tfplan.resources[address]
	not _default_certificate(distribution)
	aws_policy.undecided_at(distribution, array.concat(_certificate, ["minimum_protocol_version"]))
}

unknown[address] contains "viewer_certificate.cloudfront_default_certificate is only known after apply" if {
	some address in scope
	aws_policy.undecided_at(tfplan.resources[address], array.concat(_certificate, ["cloudfront_default_certificate"]))
}

unknown[address] contains "viewer_certificate is not in the plan" if {
	some address in scope
	distribution := tfplan.resources[address]
	not _has_certificate(distribution)
}

_default_certificate(distribution) if {
	tfplan.value(distribution, array.concat(_certificate, ["cloudfront_default_certificate"])) == true
}

_has_certificate(distribution) if tfplan.value(distribution, _certificate) != null

_has_certificate(distribution) if tfplan.is_unknown(distribution, _certificate)

_shown(distribution) := tfplan.shown(distribution, array.concat(_certificate, ["minimum_protocol_version"])) if {
	tfplan.value(distribution, array.concat(_certificate, ["minimum_protocol_version"])) != null
} else := "(not set, default TLSv1)"
