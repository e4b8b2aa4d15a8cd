# METADATA
# title: KMS keys rotate at least every 90 days
# description: |
#   Every symmetric `google_kms_crypto_key` (`purpose` ENCRYPT_DECRYPT, the default) has a `rotation_period` of at
#   most 7776000s (90 days). A key without one never rotates and fails. Asymmetric and MAC keys cannot rotate
#   automatically and are out of scope. A period set in the configuration but only known after apply is unknown.
# custom:
#   id: CIPA-GCP-KMS-01
#   severity: medium
#   frameworks:
#     cis-gcp-1.3: ["1.10"]
#     cis-gcp-2.0: ["1.10"]
#   aliases: [CKV_GCP_43, AVD-GCP-0065]
#   resource_types: [google_kms_crypto_key]
#   remediation: |
#     Rotate the key every 90 days or more often:
#
#       resource "google_kms_crypto_key" "this" {
#         name            = "app"
#         key_ring        = google_kms_key_ring.this.id
#         rotation_period = "7776000s"
#       }
package cipa.controls.gcp.kms_key_rotation

import data.cipa.lib.tfplan

max_seconds := 7776000

scope contains address if {
	some address in tfplan.by_type.google_kms_crypto_key
	purpose := tfplan.value(tfplan.resources[address], ["purpose"])
	_symmetric(purpose)
}

_symmetric(null)

_symmetric("ENCRYPT_DECRYPT")

fail[address] contains "rotation_period is not set: the key never rotates" if {
	some address in scope
	resource := tfplan.resources[address]
	tfplan.value(resource, ["rotation_period"]) == null
	not tfplan.is_unknown(resource, ["rotation_period"])
}

fail[address] contains concat("", ["rotation_period = ", tfplan.shown(resource, ["rotation_period"]), ": longer than 90 days (7776000s)"]) if {
	some address in scope
	resource := tfplan.resources[address]
	_seconds(resource) > max_seconds
}

fail[address] contains concat("", ["rotation_period = ", tfplan.shown(resource, ["rotation_period"]), ": not a duration in seconds such as \"7776000s\""]) if {
	some address in scope
	resource := tfplan.resources[address]
	period := tfplan.value(resource, ["rotation_period"])
	period != null
	not _duration(period)
}

unknown[address] contains "rotation_period is set in the configuration but only known after apply" if {
	some address in scope
	tfplan.is_unknown(tfplan.resources[address], ["rotation_period"])
}

_duration(period) if {
	is_string(period)
	regex.match(`^[0-9]+(\.[0-9]+)?s$`, period)
}

_seconds(resource) := to_number(trim_suffix(period, "s")) if {
	period := tfplan.value(resource, ["rotation_period"])
	_duration(period)
}
