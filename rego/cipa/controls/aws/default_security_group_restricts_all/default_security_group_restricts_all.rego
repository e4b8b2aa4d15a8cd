# METADATA
# title: Default security groups restrict all traffic
# description: |
#   The default security group of every VPC has no ingress and no egress rules, so that resources launched without
#   an explicit group are isolated. Terraform can only adopt a default group (aws_default_security_group): on
#   adoption it removes every rule and adds the ones configured, so a group with no ingress or egress blocks
#   passes, a group with rules, or with aws_security_group_rule / aws_vpc_security_group_ingress_rule /
#   aws_vpc_security_group_egress_rule resources attached to it, fails, and rules only known after apply leave it
#   undecided. This is an account-level control: a plan that uses the aws provider but adopts no default security
#   group cannot show their rules, and the control is undecided for the account (reported on
#   `aws_default_security_group`).
# custom:
#   id: CIPA-AWS-NET-04
#   severity: medium
#   frameworks:
#     cis-aws-1.4: ["5.3"]
#   aliases: [CKV2_AWS_12, AVD-AWS-0173]
#   resource_types: [aws_default_security_group]
#   remediation: |
#     Adopt the default security group of each VPC with no rules, and give resources their own groups:
#
#       resource "aws_default_security_group" "default" {
#         vpc_id = aws_vpc.main.id
#       }
package cipa.controls.aws.default_security_group_restricts_all

import data.cipa.lib.network
import data.cipa.lib.tfplan

account := "aws_default_security_group"

groups := object.get(tfplan.by_type, "aws_default_security_group", set())

scope contains address if some address in groups

scope contains account if {
	count(groups) == 0
	tfplan.uses_provider("aws")
}

rule_types := {"aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"}

fail[address] contains concat("", [network.path_label([attribute, i]), " is a rule: ", _rule_text(group, [attribute, i], rule)]) if {
	some address in groups
	group := tfplan.resources[address]
	some attribute in ["ingress", "egress"]
	rules := network.setting(group, [attribute], [])
	is_array(rules)
	some i, rule in rules
}

rule_fields := ["protocol", "from_port", "to_port", "cidr_blocks", "ipv6_cidr_blocks", "security_groups", "prefix_list_ids", "self"]

# The rule's fields that say something, shown one by one (objects are never marshalled whole: key order differs
# between the Wasm and native json.marshal).
_rule_text(group, path, rule) := concat(", ", [concat(" = ", [network.path_label(array.concat(path, [field])), tfplan.shown(group, array.concat(path, [field]))]) |
	some field in rule_fields
	_says_something(object.get(rule, field, null))
])

_says_something(v) if {
	v != null
	v != []
	v != false
	v != ""
}

fail[address] contains concat("", [rule, " adds a rule to this group through security_group_id"]) if {
	some address in groups
	some rule in tfplan.referrers(address)
	tfplan.resources[rule].type in rule_types
	network.attribute_refers_to(tfplan.resources[rule], "security_group_id", address)
}

unknown[address] contains concat("", [attribute, " is set from a value known only after apply"]) if {
	some address in groups
	some attribute in ["ingress", "egress"]
	network.undecided(tfplan.resources[address], [attribute])
}

unknown[account] contains "the plan uses the aws provider but adopts no aws_default_security_group: the rules of the default security groups are not visible" if {
	scope[account]
}
