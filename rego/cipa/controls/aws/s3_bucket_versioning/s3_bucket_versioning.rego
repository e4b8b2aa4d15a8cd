# METADATA
# title: S3 buckets have versioning enabled
# description: |
#   Every S3 bucket keeps object versions, so that an overwrite or a delete can be undone: an inline versioning
#   block with enabled = true (AWS provider v3) or an aws_s3_bucket_versioning resource with
#   versioning_configuration status "Enabled" (provider v4+), joined to the bucket through its configuration
#   references even while the bucket's id is only known after apply. "Suspended" and "Disabled" are not enabled.
#   A status only known after apply leaves the bucket undecided.
# custom:
#   id: CIPA-AWS-S3-03
#   severity: medium
#   aliases: [CKV_AWS_21, AVD-AWS-0090]
#   resource_types: [aws_s3_bucket]
#   remediation: |
#     Enable versioning on the bucket:
#
#       resource "aws_s3_bucket_versioning" "this" {
#         bucket = aws_s3_bucket.this.id
#         versioning_configuration {
#           status = "Enabled"
#         }
#       }
package cipa.controls.aws.s3_bucket_versioning

import data.cipa.lib.aws_s3
import data.cipa.lib.tfplan

versioning_type := "aws_s3_bucket_versioning"

scope contains address if some address in tfplan.by_type.aws_s3_bucket

fail[bucket] contains concat("", [
	"versioning is not enabled: no inline versioning block and no ", versioning_type, " refers to this bucket",
]) if {
	some bucket in scope
	count(_sources(bucket)) == 0
}

fail[bucket] contains concat("", [source.address, " sets ", source.label, " = ", tfplan.shown(resource, source.path)]) if {
	some bucket in scope
	not _enabled(bucket)
	not _undecided(bucket)
	some source in _sources(bucket)
	resource := tfplan.resources[source.address]
	not tfplan.is_unknown(resource, source.path)
}

unknown[bucket] contains concat("", [source.address, " sets ", source.label, " only after apply"]) if {
	some bucket in scope
	not _enabled(bucket)
	some source in _sources(bucket)
	tfplan.is_unknown(tfplan.resources[source.address], source.path)
}

# Where a bucket's versioning is declared: the setting's path and the value that means enabled.
_sources(bucket) := {{"address": bucket, "path": ["versioning", 0, "enabled"], "label": "versioning.enabled", "enabled": true} |
	tfplan.is_configured(tfplan.resources[bucket], "versioning")
} | {{"address": address, "path": ["versioning_configuration", 0, "status"], "label": "versioning_configuration.status", "enabled": "Enabled"} |
	some address in aws_s3.siblings_of(bucket, versioning_type)
}

_enabled(bucket) if {
	some source in _sources(bucket)
	tfplan.value(tfplan.resources[source.address], source.path) == source.enabled
}

_undecided(bucket) if {
	some source in _sources(bucket)
	tfplan.is_unknown(tfplan.resources[source.address], source.path)
}
