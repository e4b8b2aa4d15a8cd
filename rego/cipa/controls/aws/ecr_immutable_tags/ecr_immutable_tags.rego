# METADATA
# title: ECR repositories have immutable image tags
# description: |
#   Every aws_ecr_repository sets image_tag_mutability to IMMUTABLE (or IMMUTABLE_WITH_EXCLUSION), so that a tag
#   such as a release version cannot be moved to another image after it was deployed or scanned. Left unset it
#   takes the provider default, MUTABLE. A value only known after apply leaves the repository undecided.
# custom:
#   id: CIPA-AWS-ECR-02
#   severity: low
#   aliases: [CKV_AWS_51, AVD-AWS-0031]
#   resource_types: [aws_ecr_repository]
#   remediation: |
#     Make tags immutable:
#
#       resource "aws_ecr_repository" "this" {
#         name                 = "app"
#         image_tag_mutability = "IMMUTABLE"
#       }
package cipa.controls.aws.ecr_immutable_tags

import data.cipa.lib.tfplan

scope contains address if some address in object.get(tfplan.by_type, "aws_ecr_repository", set())

fail[address] contains _message(resource) if {
	some address in scope
	resource := tfplan.resources[address]
	mutability := tfplan.effective(resource, "image_tag_mutability", "MUTABLE")
	not startswith(mutability, "IMMUTABLE")
}

unknown[address] contains "image_tag_mutability is only known after apply" if {
	some address in scope
	not tfplan.effective(tfplan.resources[address], "image_tag_mutability", "MUTABLE")
}

_message(resource) := concat("", ["image_tag_mutability = ", tfplan.shown(resource, ["image_tag_mutability"])]) if {
	tfplan.is_configured(resource, "image_tag_mutability")
} else := "image_tag_mutability is not set (provider default MUTABLE)"
