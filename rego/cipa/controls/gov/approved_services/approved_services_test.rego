package cipa.controls.gov.approved_services_test

import data.cipa.controls.gov.approved_services as control

_rc(type) := {
	"address": concat(".", [type, "r"]), "mode": "managed", "type": type, "name": "r",
	"change": {"actions": ["create"], "after": {}, "after_unknown": {}},
}

_plan(types) := {"resource_changes": [_rc(type) | some type in types]}

_services := {
	"aws_s3_": "aws:s3", "aws_s3control": "aws:s3", "aws_db": "aws:rds", "aws_rds": "aws:rds",
	"aws_instance": "aws:ec2", "google": "gcp:other", "google_compute": "gcp:compute",
}

test_longest_prefix_wins if {
	control.service_of("aws_s3_bucket") == "aws:s3" with data.cipa.settings as {"services": _services}
	control.service_of("aws_instance") == "aws:ec2" with data.cipa.settings as {"services": _services}
	control.service_of("google_compute_firewall") == "gcp:compute" with data.cipa.settings as {"services": _services}
	control.service_of("google_storage_bucket") == "gcp:other" with data.cipa.settings as {"services": _services}
	not control.service_of("aws_instances_thing") with data.cipa.settings as {"services": {"aws_instance": "aws:ec2"}}
	not control.service_of("aws_s3") with data.cipa.settings as {"services": {"aws_s3_bucket": "aws:s3"}}
}

test_both_spellings_of_a_key_do_not_conflict if {
	control.service_of("aws_s3_bucket") == "aws:s3" with data.cipa.settings as {"services": {"aws_s3": "aws:s3", "aws_s3_": "aws:other"}}
}

test_unapproved_service_fails if {
	settings := {"services": _services, "unapproved_services": ["aws:rds"]}
	plan := _plan(["aws_db_instance", "aws_s3_bucket"])
	control.fail["aws_db_instance.r"] with input as plan with data.cipa.settings as settings
	not control.fail["aws_s3_bucket.r"] with input as plan with data.cipa.settings as settings
	control.scope["aws_s3_bucket.r"] with input as plan with data.cipa.settings as settings
}

test_cloud_wildcards if {
	settings := {"services": _services, "unapproved_services": ["gcp:*"], "approved_services": ["aws:*"], "enforce_approved_services": true}
	plan := _plan(["google_compute_instance", "aws_s3_bucket", "aws_db_instance"])
	control.fail["google_compute_instance.r"] with input as plan with data.cipa.settings as settings
	not control.fail["aws_s3_bucket.r"] with input as plan with data.cipa.settings as settings
	not control.fail["aws_db_instance.r"] with input as plan with data.cipa.settings as settings
}

test_enforced_allow_list if {
	settings := {"services": _services, "approved_services": ["aws:s3"], "enforce_approved_services": true}
	plan := _plan(["aws_s3_bucket", "aws_instance", "acme_widget"])
	not control.fail["aws_s3_bucket.r"] with input as plan with data.cipa.settings as settings
	control.fail["aws_instance.r"] with input as plan with data.cipa.settings as settings
	msgs := control.fail["acme_widget.r"] with input as plan with data.cipa.settings as settings
	some msg in msgs
	contains(msg, "maps to no service")
}

test_not_enforced_passes_unlisted_and_unmapped if {
	settings := {"services": _services, "approved_services": ["aws:s3"]}
	plan := _plan(["aws_instance", "acme_widget"])
	not control.fail["aws_instance.r"] with input as plan with data.cipa.settings as settings
	not control.fail["acme_widget.r"] with input as plan with data.cipa.settings as settings
	control.scope["acme_widget.r"] with input as plan with data.cipa.settings as settings
}

test_no_settings_passes_everything if {
	not control.fail["aws_instance.r"] with input as _plan(["aws_instance"]) with data.cipa.settings as {}
}

test_shipped_defaults_map_common_types if {
	every type in ["aws_s3_bucket", "aws_db_instance", "aws_rds_cluster", "azurerm_storage_account", "google_compute_firewall", "random_id"] {
		control.service_of(type)
	}
	control.service_of("aws_security_group_rule") == "aws:vpc"
	control.service_of("google_project_iam_member") == "gcp:iam"
}
