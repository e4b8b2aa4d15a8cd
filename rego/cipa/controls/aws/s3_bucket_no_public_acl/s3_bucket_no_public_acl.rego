# METADATA
# title: S3 bucket ACLs grant nothing to everyone
# description: |
#   No S3 bucket ACL opens the bucket to everyone or to every AWS account: neither a canned ACL public-read,
#   public-read-write or authenticated-read, nor a grant to the AllUsers or AuthenticatedUsers group. The ACL is
#   decided where it is written: on the bucket (acl, grant; AWS provider v3) or on an aws_s3_bucket_acl resource
#   (acl, access_control_policy; provider v4+), which is decided even when the bucket it names is not in the plan.
#   An unset ACL is the provider default, private. An ACL only known after apply leaves the resource undecided.
# custom:
#   id: CIPA-AWS-S3-05
#   severity: critical
#   aliases: [CKV_AWS_20, CKV_AWS_57, AVD-AWS-0092]
#   resource_types: [aws_s3_bucket, aws_s3_bucket_acl]
#   remediation: |
#     Keep the bucket private and disable ACLs altogether; share data through a bucket policy that names the
#     principals, or through CloudFront:
#
#       resource "aws_s3_bucket_ownership_controls" "this" {
#         bucket = aws_s3_bucket.this.id
#         rule {
#           object_ownership = "BucketOwnerEnforced"
#         }
#       }
package cipa.controls.aws.s3_bucket_no_public_acl

import data.cipa.lib.aws_s3
import data.cipa.lib.tfplan

scope contains address if some address in tfplan.by_type.aws_s3_bucket

scope contains address if some address in object.get(tfplan.by_type, "aws_s3_bucket_acl", set())

fail[address] contains concat("", ["acl = ", tfplan.shown(resource, ["acl"])]) if {
	some address in scope
	resource := tfplan.resources[address]
	tfplan.effective(resource, "acl", "private") in aws_s3.public_canned_acls
}

fail[address] contains _grant_message(grant) if {
	some address in scope
	some grant in _grants(tfplan.resources[address])
	grant.uri in aws_s3.public_group_uris
}

unknown[address] contains concat("", [attribute, " is only known after apply"]) if {
	some address in scope
	resource := tfplan.resources[address]
	some attribute in _acl_attributes(resource.type)
	tfplan.is_configured(resource, attribute)
	tfplan.is_unknown(resource, [attribute])
}

# Attributes that carry an ACL, by type.
_acl_attributes("aws_s3_bucket") := ["acl", "grant"]

_acl_attributes("aws_s3_bucket_acl") := ["acl", "access_control_policy"]

# Grants of a bucket (grant blocks) or of an aws_s3_bucket_acl (access_control_policy grants), as
# {"uri", "permission"}.
_grants(resource) := _bucket_grants(resource) | _acl_grants(resource)

_bucket_grants(resource) := {{"uri": grant.uri, "permission": _permissions(grant), "sensitive": _sensitive(resource, "grant")} |
	resource.type == "aws_s3_bucket"
	tfplan.is_configured(resource, "grant")
	some grant in _array(tfplan.value(resource, ["grant"]))
	is_string(grant.uri)
}

_acl_grants(resource) := {{"uri": grantee.uri, "permission": object.get(grant, "permission", ""), "sensitive": _sensitive(resource, "access_control_policy")} |
	resource.type == "aws_s3_bucket_acl"
	tfplan.is_configured(resource, "access_control_policy")
	some policy in _array(tfplan.value(resource, ["access_control_policy"]))
	some grant in _array(object.get(policy, "grant", []))
	some grantee in _array(object.get(grant, "grantee", []))
	is_string(grantee.uri)
}

_permissions(grant) := concat(", ", sort(grant.permissions)) if is_array(grant.permissions)

else := ""

_sensitive(resource, attribute) if tfplan.is_sensitive(resource, [attribute])

else := false

# A grant held in a sensitive attribute is described without its values.
_grant_message(grant) := "a grant to a public group (the grant is sensitive: grantee and permission not shown)" if {
	grant.sensitive
} else := concat("", ["grant to ", grant.uri, " with permission ", grant.permission])

_array(x) := x if is_array(x)

else := []
