# METADATA
# title: VPC firewall rules do not allow SSH from the Internet
# description: |
#   No enabled ingress `google_compute_firewall` admits TCP port 22 from the whole Internet. A rule admits the
#   Internet when a source range has prefix length 0 (`0.0.0.0/0`, `::/0`), or when it names no source at all (no
#   `source_ranges`, `source_tags` or `source_service_accounts`: GCP then applies it to 0.0.0.0/0). An allow block
#   admits port 22 when its protocol is `tcp`, `6` or `all` and its `ports` are absent or empty (every port), `22`,
#   or a range containing 22 (`20-30`). `direction` defaults to INGRESS and `disabled` to false. A rule whose
#   deciding attribute is set but only known after apply is unknown. Firewall policy rules (hierarchical, global and
#   regional network firewall policies) are judged the same way on their `match` block: an enabled ingress rule
#   with action `allow`, a `src_ip_ranges` entry of length 0 and a `layer4_configs` entry admitting the port fails;
#   a policy rule without `src_ip_ranges` matches on tags, address groups or FQDNs and is not judged open.
# custom:
#   id: CIPA-GCP-NET-01
#   severity: critical
#   frameworks:
#     cis-gcp-1.3: ["3.6"]
#     cis-gcp-2.0: ["3.6"]
#   aliases: [CKV_GCP_2, AVD-GCP-0071]
#   resource_types:
#     - google_compute_firewall
#     - google_compute_firewall_policy_rule
#     - google_compute_network_firewall_policy_rule
#     - google_compute_region_network_firewall_policy_rule
#   remediation: |
#     Admit SSH only from Identity-Aware Proxy or your administration ranges:
#
#       resource "google_compute_firewall" "ssh" {
#         name          = "allow-ssh-from-iap"
#         network       = google_compute_network.this.name
#         direction     = "INGRESS"
#         source_ranges = ["35.235.240.0/20"]
#         allow {
#           protocol = "tcp"
#           ports    = ["22"]
#         }
#       }
package cipa.controls.gcp.firewall_ssh_from_internet

import data.cipa.lib.ports
import data.cipa.lib.tfplan

service := "ssh"

scope contains address if some address in tfplan.by_type.google_compute_firewall

scope contains address if {
	some type in ports.gcp_policy_rule_types
	some address in object.get(tfplan.by_type, type, set())
}

fail[address] contains concat("", [
	"allows SSH (port 22) from the Internet: source_ranges = ", tfplan.shown(resource, ["source_ranges"]),
	", allow = ", _blocks(resource),
]) if {
	some address in tfplan.by_type.google_compute_firewall
	resource := tfplan.resources[address]
	_verdict(resource) == "yes"
}

unknown[address] contains concat("", [
	"may allow SSH (port 22) from the Internet: a deciding attribute is only known after apply (direction = ",
	tfplan.shown(resource, ["direction"]), ", disabled = ", tfplan.shown(resource, ["disabled"]),
	", source_ranges = ", tfplan.shown(resource, ["source_ranges"]), ", allow = ", _blocks(resource), ")",
]) if {
	some address in tfplan.by_type.google_compute_firewall
	resource := tfplan.resources[address]
	_verdict(resource) == "unknown"
}

fail[address] contains concat("", ["allows SSH (port 22) from the Internet: ", ports.gcp_policy_detail(resource)]) if {
	some type in ports.gcp_policy_rule_types
	some address in object.get(tfplan.by_type, type, set())
	resource := tfplan.resources[address]
	ports.verdict(ports.gcp_policy_rule_states(resource, service)) == "yes"
}

unknown[address] contains concat("", [
	"may allow SSH (port 22) from the Internet: a deciding attribute is only known after apply (",
	ports.gcp_policy_detail(resource), ")",
]) if {
	some type in ports.gcp_policy_rule_types
	some address in object.get(tfplan.by_type, type, set())
	resource := tfplan.resources[address]
	ports.verdict(ports.gcp_policy_rule_states(resource, service)) == "unknown"
}

_verdict(resource) := ports.verdict([
	ports.gcp_enabled_state(resource),
	ports.gcp_ingress_state(resource),
	ports.gcp_source_state(resource),
	ports.gcp_allow_state(resource, service),
])

_blocks(resource) := tfplan.shown(resource, ["allow"]) if {
	tfplan.is_unknown(resource, ["allow"])
} else := concat(", ", [_block(resource, i) | some i in ports.gcp_matching_blocks(resource, service)])

# An allow block as "{protocol = "tcp", ports = ["22"]}" (not json.marshal of the object: key order differs
# between engines).
_block(resource, i) := concat("", [
	"{protocol = ", tfplan.shown(resource, ["allow", i, "protocol"]),
	", ports = ", tfplan.shown(resource, ["allow", i, "ports"]), "}",
])
