# METADATA
# title: Instance and launch template block devices are encrypted
# description: |
#   The volumes EC2 instances launch with are encrypted: root_block_device and every ebs_block_device of
#   aws_instance and aws_launch_configuration, and every block_device_mappings[].ebs of aws_launch_template. A
#   device whose `encrypted` is not set follows its snapshot, unencrypted by default: it fails, unless it is
#   restored from a snapshot_id (undecided, the snapshot decides). A root device that is not configured at all,
#   or a launch template without block device mappings, takes the AMI's snapshots, which the plan cannot show:
#   it fails as unencrypted by default. An instance launched from a launch template without a root_block_device
#   of its own follows the template's mappings (undecided when the template is outside the plan). An aws_ebs_encryption_by_default with enabled = true in the same plan
#   encrypts every device. `encrypted` set from an expression known only after apply is undecided.
# custom:
#   id: CIPA-AWS-EC2-02
#   severity: high
#   aliases: [CKV_AWS_8, AVD-AWS-0131, AVD-AWS-0008]
#   resource_types: [aws_instance, aws_launch_template, aws_launch_configuration]
#   remediation: |
#     Encrypt the root and data volumes (or turn on aws_ebs_encryption_by_default):
#
#       resource "aws_instance" "app" {
#         ami           = data.aws_ami.al2023.id
#         instance_type = "t3.micro"
#
#         root_block_device {
#           encrypted = true
#         }
#       }
#
#       resource "aws_launch_template" "app" {
#         image_id = data.aws_ami.al2023.id
#
#         block_device_mappings {
#           device_name = "/dev/xvda"
#           ebs {
#             encrypted = true
#           }
#         }
#       }
package cipa.controls.aws.instance_block_devices_encrypted

import data.cipa.lib.network
import data.cipa.lib.tfplan

instance_types := {"aws_instance", "aws_launch_configuration"}

scope contains address if {
	some type in ["aws_instance", "aws_launch_configuration", "aws_launch_template"]
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains finding.message if {
	not network.ebs_encryption_by_default
	some address in scope
	some finding in _findings(tfplan.resources[address])
	finding.status == "fail"
}

unknown[address] contains finding.message if {
	not network.ebs_encryption_by_default
	some address in scope
	some finding in _findings(tfplan.resources[address])
	finding.status == "unknown"
}

_findings(resource) := _instance_findings(resource) if {
	resource.type in instance_types
} else := _template_findings(resource)

# --- aws_instance, aws_launch_configuration ----------------------------------------------------------------

_instance_findings(resource) := (_root_findings(resource) | {finding |
	some i, device in _list(tfplan.value(resource, ["ebs_block_device"]))
	finding := _ebs_device(resource, i, device)
}) | _whole_unknown(resource, "ebs_block_device")

_root_findings(resource) := {finding |
	some i, _ in _list(tfplan.value(resource, ["root_block_device"]))
	finding := _encrypted(resource, ["root_block_device", i, "encrypted"])
} if {
	count(_list(tfplan.value(resource, ["root_block_device"]))) > 0
} else := _template_root_findings(resource) if {
	_follows_template(resource)
} else := {{
	"status": "fail",
	"message": "root_block_device is not set: the root volume takes the AMI's snapshot, encrypted only if that snapshot is",
}} if {
	not network.configured_at(resource, ["root_block_device"])
} else := _whole_unknown(resource, "root_block_device")

# An instance launched from a launch template without root_block_device of its own takes the template's block
# device mappings.
_follows_template(resource) if {
	resource.type == "aws_instance"
	network.configured_at(resource, ["launch_template"])
	not network.configured_at(resource, ["root_block_device"])
}

_templates_of(resource) := {template |
	some template in tfplan.links_of(resource.address)
	tfplan.resources[template].type == "aws_launch_template"
}

_template_root_findings(resource) := {object.union(finding, {"message": concat("", ["launch_template ", template, ": ", finding.message])}) |
	template := sort(_templates_of(resource))[0]
	some finding in _template_findings(tfplan.resources[template])
	finding.status != "pass"
} if {
	count(_templates_of(resource)) > 0
} else := {{
	"status": "unknown",
	"message": "root_block_device is not set and the instance takes its volumes from a launch_template outside the plan",
}}

# ebs_block_device is a set: its configuration block is matched by device_name, not by position.
_ebs_device(resource, i, device) := _encrypted(resource, path) if {
	path := ["ebs_block_device", i, "encrypted"]
	tfplan.value(resource, path) != null
} else := {"status": "unknown", "message": concat("", [
	network.path_label(["ebs_block_device", i, "encrypted"]), " is set from a value known only after apply",
])} if {
	tfplan.is_unknown(resource, ["ebs_block_device", i, "encrypted"])
	_device_configures(resource, device.device_name, "encrypted")
} else := _snapshot_or_default(resource, ["ebs_block_device", i])

_device_configures(resource, device_name, attribute) if {
	block := tfplan.config(resource)
	some configured in _list(object.get(block, ["expressions", "ebs_block_device"], []))
	object.get(configured, ["device_name", "constant_value"], null) == device_name
	object.get(configured, attribute, null) != null
}

_device_configures(resource, _, _) if not tfplan.config(resource)

# --- aws_launch_template -----------------------------------------------------------------------------------

_template_findings(resource) := {finding |
	some i, mapping in _list(tfplan.value(resource, ["block_device_mappings"]))
	count(_list(object.get(mapping, "ebs", []))) > 0
	finding := _template_device(resource, i)
} if {
	count(_list(tfplan.value(resource, ["block_device_mappings"]))) > 0
} else := {{
	"status": "fail",
	"message": "block_device_mappings is not set: volumes take the AMI's snapshots, encrypted only if those snapshots are",
}} if {
	not network.configured_at(resource, ["block_device_mappings"])
} else := _whole_unknown(resource, "block_device_mappings")

_template_device(resource, i) := _encrypted(resource, ["block_device_mappings", i, "ebs", 0, "encrypted"])

# --- One device --------------------------------------------------------------------------------------------

_encrypted(resource, path) := {"status": "pass"} if {
	network.setting(resource, path, null) in {true, "true"}
} else := {"status": "fail", "message": concat("", [network.path_label(path), " = ", tfplan.shown(resource, path)])} if {
	network.setting(resource, path, null) in {false, "false"}
} else := {"status": "unknown", "message": concat("", [network.path_label(path), " is set from a value known only after apply"])} if {
	network.undecided(resource, path)
} else := _snapshot_or_default(resource, array.slice(path, 0, count(path) - 1))

# A device that leaves `encrypted` unset is encrypted only if its snapshot is.
_snapshot_or_default(resource, device_path) := {"status": "unknown", "message": concat("", [
	network.path_label(array.concat(device_path, ["encrypted"])), " is not set and the volume is restored from ",
	network.path_label(array.concat(device_path, ["snapshot_id"])), " = ",
	tfplan.shown(resource, array.concat(device_path, ["snapshot_id"])), ": it is encrypted only if the snapshot is",
])} if {
	snapshot := tfplan.value(resource, array.concat(device_path, ["snapshot_id"]))
	is_string(snapshot)
	snapshot != ""
} else := {"status": "fail", "message": concat("", [
	network.path_label(array.concat(device_path, ["encrypted"])), " is not set and defaults to unencrypted",
])}

_whole_unknown(resource, attribute) := {{
	"status": "unknown",
	"message": concat("", [attribute, " is set from a value known only after apply"]),
}} if {
	tfplan.is_unknown(resource, [attribute])
	network.configured_at(resource, [attribute])
} else := set()

_list(x) := x if is_array(x)

else := []
