# METADATA
# title: S3 buckets have server access logging enabled
# description: |
#   Every S3 bucket logs the requests made to it: an inline logging block (AWS provider v3) or an
#   aws_s3_bucket_logging resource (provider v4+), joined to the bucket through its configuration references even
#   while the bucket's id is only known after apply.
#   Buckets that receive access logs are exempt and out of scope, since logging a log bucket into itself or into
#   yet another bucket only adds noise: a bucket is a log target when another bucket's logging (inline
#   target_bucket, or aws_s3_bucket_logging target_bucket) names it, or when its ACL is "log-delivery-write".
#   An inline logging block only known after apply leaves the bucket undecided.
# custom:
#   id: CIPA-AWS-S3-04
#   severity: low
#   aliases: [CKV_AWS_18, AVD-AWS-0089]
#   resource_types: [aws_s3_bucket]
#   remediation: |
#     Send the bucket's access logs to a dedicated log bucket:
#
#       resource "aws_s3_bucket_logging" "this" {
#         bucket        = aws_s3_bucket.this.id
#         target_bucket = aws_s3_bucket.logs.id
#         target_prefix = "s3/${aws_s3_bucket.this.id}/"
#       }
package cipa.controls.aws.s3_bucket_access_logging

import data.cipa.lib.aws_s3
import data.cipa.lib.tfplan

logging_type := "aws_s3_bucket_logging"

scope contains address if {
	some address in tfplan.by_type.aws_s3_bucket
	not address in aws_s3.log_targets
	not _log_delivery_acl(address)
}

fail[bucket] contains concat("", [
	"access logging is not enabled: no inline logging block and no ", logging_type, " refers to this bucket",
]) if {
	some bucket in scope
	count(aws_s3.siblings_of(bucket, logging_type)) == 0
	not tfplan.is_configured(tfplan.resources[bucket], "logging")
}

fail[bucket] contains "the inline logging block is empty: logging = []" if {
	some bucket in scope
	count(aws_s3.siblings_of(bucket, logging_type)) == 0
	resource := tfplan.resources[bucket]
	tfplan.is_configured(resource, "logging")
	tfplan.value(resource, ["logging"]) == []
}

unknown[bucket] contains "the inline logging block is only known after apply" if {
	some bucket in scope
	count(aws_s3.siblings_of(bucket, logging_type)) == 0
	resource := tfplan.resources[bucket]
	tfplan.is_configured(resource, "logging")
	tfplan.is_unknown(resource, ["logging"])
}

_log_delivery_acl(bucket) if tfplan.value(tfplan.resources[bucket], ["acl"]) == "log-delivery-write"

_log_delivery_acl(bucket) if {
	some address in aws_s3.siblings_of(bucket, "aws_s3_bucket_acl")
	tfplan.value(tfplan.resources[address], ["acl"]) == "log-delivery-write"
}
