# METADATA
# title: S3 buckets block public access
# description: |
#   Every S3 bucket is covered by a public access block with all four settings on, either its own
#   aws_s3_bucket_public_access_block or an account-level aws_s3_account_public_access_block in the same plan.
#   The block is found through configuration references, so it is joined even when the bucket's id is only known
#   after apply. A block whose settings are only known after apply leaves the bucket undecided.
# custom:
#   id: CIPA-AWS-S3-01
#   severity: high
#   frameworks:
#     cis-aws-1.4: ["2.1.5"]
#   aliases: [CKV2_AWS_6, CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, AVD-AWS-0086, AVD-AWS-0087, AVD-AWS-0091, AVD-AWS-0093]
#   resource_types: [aws_s3_bucket]
#   remediation: |
#     Add a public access block for the bucket with all four settings enabled:
#
#       resource "aws_s3_bucket_public_access_block" "this" {
#         bucket                  = aws_s3_bucket.this.id
#         block_public_acls       = true
#         block_public_policy     = true
#         ignore_public_acls      = true
#         restrict_public_buckets = true
#       }
package cipa.controls.aws.s3_public_access_block

import data.cipa.lib.tfplan

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

scope contains address if some address in tfplan.by_type.aws_s3_bucket

fail[bucket] contains "no aws_s3_bucket_public_access_block refers to this bucket and the plan has no account-level block" if {
	some bucket in scope
	count(_bucket_blocks(bucket)) == 0
	not _account_block_exists
}

fail[bucket] contains concat("", [block.address, " sets ", setting, " = ", tfplan.shown(block, [setting])]) if {
	some bucket in scope
	not _covered(bucket)
	some address in _blocks(bucket)
	block := tfplan.resources[address]
	some setting in settings
	not tfplan.is_unknown(block, [setting])
	tfplan.value(block, [setting]) != true
}

unknown[bucket] contains concat("", [block.address, " sets ", setting, " only after apply"]) if {
	some bucket in scope
	not _covered(bucket)
	some address in _blocks(bucket)
	block := tfplan.resources[address]
	some setting in settings
	tfplan.is_unknown(block, [setting])
}

_bucket_blocks(bucket) := {address |
	some address in tfplan.referrers(bucket)
	tfplan.resources[address].type == "aws_s3_bucket_public_access_block"
}

_blocks(bucket) := _bucket_blocks(bucket) | object.get(tfplan.by_type, "aws_s3_account_public_access_block", set())

_account_block_exists if count(object.get(tfplan.by_type, "aws_s3_account_public_access_block", set())) > 0

_covered(bucket) if {
	some address in _blocks(bucket)
	block := tfplan.resources[address]
	every setting in settings {
		tfplan.value(block, [setting]) == true
	}
}
