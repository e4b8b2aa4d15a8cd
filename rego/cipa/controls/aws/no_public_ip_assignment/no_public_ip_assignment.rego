# METADATA
# title: Subnets and instances do not assign public IP addresses
# description: |
#   Subnets (aws_subnet, aws_default_subnet) do not map public IPs on launch, and EC2 instances do not get a public
#   IP address. map_public_ip_on_launch defaults to false on aws_subnet and to true on a default subnet. An
#   instance that leaves associate_public_ip_address unset follows its subnet: the subnet of the plan that its
#   subnet_id refers to, or, without subnet_id and network_interface, a default subnet, which assigns public IPs;
#   an instance launched from a launch template without subnet_id follows the template's
#   network_interfaces[0].associate_public_ip_address. An instance in a subnet or launched from a template outside
#   the plan, or whose setting is only known after apply, is undecided.
#   Instances attached to network interfaces at launch get no automatic public IP.
# custom:
#   id: CIPA-AWS-NET-07
#   severity: medium
#   aliases: [CKV_AWS_88, CKV_AWS_130, AVD-AWS-0009, AVD-AWS-0164]
#   resource_types: [aws_subnet, aws_default_subnet, aws_instance]
#   remediation: |
#     Keep instances in private subnets and reach them through a load balancer, NAT or SSM:
#
#       resource "aws_subnet" "private" {
#         vpc_id                  = aws_vpc.main.id
#         cidr_block              = "10.0.1.0/24"
#         map_public_ip_on_launch = false
#       }
#
#       resource "aws_instance" "app" {
#         ami                         = data.aws_ami.al2023.id
#         instance_type               = "t3.micro"
#         subnet_id                   = aws_subnet.private.id
#         associate_public_ip_address = false
#       }
package cipa.controls.aws.no_public_ip_assignment

import data.cipa.lib.network
import data.cipa.lib.tfplan

subnet_defaults := {"aws_subnet": false, "aws_default_subnet": true}

subnets contains address if {
	some type, _ in subnet_defaults
	some address in object.get(tfplan.by_type, type, set())
}

instances := object.get(tfplan.by_type, "aws_instance", set())

scope := subnets | instances

# --- Subnets -----------------------------------------------------------------------------------------------

maps_public_ip(subnet) := network.setting(subnet, ["map_public_ip_on_launch"], subnet_defaults[subnet.type])

fail[address] contains _subnet_message(subnet) if {
	some address in subnets
	subnet := tfplan.resources[address]
	maps_public_ip(subnet) == true
}

unknown[address] contains "map_public_ip_on_launch is set from a value known only after apply" if {
	some address in subnets
	network.undecided(tfplan.resources[address], ["map_public_ip_on_launch"])
}

_subnet_message(subnet) := concat("", ["map_public_ip_on_launch = ", tfplan.shown(subnet, ["map_public_ip_on_launch"])]) if {
	tfplan.value(subnet, ["map_public_ip_on_launch"]) != null
} else := "map_public_ip_on_launch is not set and a default subnet maps public IPs on launch"

# --- Instances ---------------------------------------------------------------------------------------------

fail[address] contains concat("", ["associate_public_ip_address = ", tfplan.shown(instance, ["associate_public_ip_address"])]) if {
	some address in instances
	instance := tfplan.resources[address]
	network.setting(instance, ["associate_public_ip_address"], null) == true
}

fail[address] contains concat("", [
	"associate_public_ip_address is not set and subnet_id refers to ", subnet,
	", which maps public IPs on launch",
]) if {
	some address in instances
	instance := tfplan.resources[address]
	_follows_subnet(instance)
	some subnet in _subnets_of(instance)
	maps_public_ip(tfplan.resources[subnet]) == true
}

fail[address] contains "associate_public_ip_address and subnet_id are not set: the instance launches in a default subnet, which assigns public IPs" if {
	some address in instances
	instance := tfplan.resources[address]
	_follows_subnet(instance)
	not _has_subnet(instance)
	not network.configured_at(instance, ["launch_template"])
}

# Without subnet_id of its own, an instance launched from a launch template takes the template's network
# interface settings.
fail[address] contains concat("", [
	"associate_public_ip_address is not set and launch_template ", template,
	" sets network_interfaces[0].associate_public_ip_address = ", tfplan.shown(tfplan.resources[template], _template_public_path),
]) if {
	some address in instances
	instance := tfplan.resources[address]
	_template_decides(instance)
	some template in _templates_of(instance)
	tfplan.value(tfplan.resources[template], _template_public_path) in {true, "true"}
}

unknown[address] contains message if {
	some address in instances
	instance := tfplan.resources[address]
	_template_decides(instance)
	some message in _template_unknowns(instance)
}

_template_public_path := ["network_interfaces", 0, "associate_public_ip_address"]

_template_decides(instance) if {
	_follows_subnet(instance)
	not _has_subnet(instance)
	network.configured_at(instance, ["launch_template"])
}

_templates_of(instance) := {template |
	some template in tfplan.links_of(instance.address)
	tfplan.resources[template].type == "aws_launch_template"
}

_template_unknowns(instance) := {"associate_public_ip_address and subnet_id are not set and the instance takes its network settings from a launch_template outside the plan"} if {
	count(_templates_of(instance)) == 0
} else := {concat("", [
	"associate_public_ip_address and subnet_id are not set and launch_template ", template,
	" leaves network_interfaces[0].associate_public_ip_address to its subnet",
]) |
	some template in _templates_of(instance)
	not tfplan.value(tfplan.resources[template], _template_public_path) in {true, "true", false, "false"}
}

unknown[address] contains "associate_public_ip_address is set from a value known only after apply" if {
	some address in instances
	network.undecided(tfplan.resources[address], ["associate_public_ip_address"])
}

unknown[address] contains concat("", [
	"associate_public_ip_address is not set and subnet_id refers to ", subnet,
	", whose map_public_ip_on_launch is known only after apply",
]) if {
	some address in instances
	instance := tfplan.resources[address]
	_follows_subnet(instance)
	some subnet in _subnets_of(instance)
	network.undecided(tfplan.resources[subnet], ["map_public_ip_on_launch"])
}

unknown[address] contains concat("", [
	"associate_public_ip_address is not set and subnet_id = ", tfplan.shown(instance, ["subnet_id"]),
	" names a subnet outside the plan, whose map_public_ip_on_launch decides",
]) if {
	some address in instances
	instance := tfplan.resources[address]
	_follows_subnet(instance)
	count(_subnets_of(instance)) == 0
	_has_subnet(instance)
}

# The instance's public IP follows its subnet: associate_public_ip_address is left to the default and no network
# interface is attached at launch.
_follows_subnet(instance) if {
	network.setting(instance, ["associate_public_ip_address"], null) == null
	not network.configured_at(instance, ["network_interface"])
	not _known_interfaces(instance)
}

_known_interfaces(instance) if {
	interfaces := tfplan.value(instance, ["network_interface"])
	is_array(interfaces)
	count(interfaces) > 0
}

_has_subnet(instance) if network.configured_at(instance, ["subnet_id"])

_has_subnet(instance) if tfplan.value(instance, ["subnet_id"]) != null

_subnets_of(instance) := {subnet |
	some subnet in tfplan.links_of(instance.address)
	subnet in subnets
	network.attribute_refers_to(instance, "subnet_id", subnet)
}
