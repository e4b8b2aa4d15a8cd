package cipa.main_test

import data.cipa.main

plan := {"resource_changes": [
	{"address": `module.net["eu.1"].aws_s3_bucket.logs[0]`, "module_address": `module.net["eu.1"]`, "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "index": 0, "change": {"actions": ["create"], "after": {}}},
	{"address": "aws_s3_bucket.data", "mode": "managed", "type": "aws_s3_bucket", "name": "data", "change": {"actions": ["create"], "after": {}}},
]}

catalog := {"cipa.controls.aws.s3_public_access_block": {"id": "CIPA-AWS-S3-01", "severity": "high", "resource_types": ["aws_s3_bucket"]}}

exception(control, resource, expires) := {"control": control, "resource": resource, "owner": "team-a", "reason": "legacy", "expires": expires}

# 2026-12-03T12:00:00Z
noon := 1796299200000000000

decision(report, address) := d if {
	some d in report.decisions
	d.control == "CIPA-AWS-S3-01"
	d.resource == address
}

test_decisions_carry_ids_and_severities_from_the_catalog if {
	report := main.report with input as plan with data.cipa.catalog.controls as catalog
	d := decision(report, "aws_s3_bucket.data")
	d.status == "fail"
	d.severity == "high"
	not d.exception
}

test_severity_overrides_come_from_data if {
	report := main.report with input as plan with data.cipa.catalog.controls as catalog
		with data.cipa.settings.severity_overrides as {"CIPA-AWS-S3-01": "low"}
	decision(report, "aws_s3_bucket.data").severity == "low"
}

test_a_live_exception_waives_every_instance_of_a_module_resource if {
	exceptions := [exception("CIPA-AWS-S3-*", "module.net.aws_s3_bucket.logs", "2026-12-03")]
	report := main.report with input as plan with data.cipa.catalog.controls as catalog
		with data.cipa.settings.exceptions as exceptions with time.now_ns as noon
	d := decision(report, `module.net["eu.1"].aws_s3_bucket.logs[0]`)
	d.status == "fail"
	d.exception.owner == "team-a"
	not decision(report, "aws_s3_bucket.data").exception
	report.exceptions == {"expired": [], "stale": []}
}

test_an_expired_exception_waives_nothing_and_is_reported if {
	exceptions := [exception("CIPA-AWS-S3-01", "**", "2026-12-02")]
	report := main.report with input as plan with data.cipa.catalog.controls as catalog
		with data.cipa.settings.exceptions as exceptions with time.now_ns as noon
	not decision(report, "aws_s3_bucket.data").exception
	report.exceptions.expired == exceptions
}

test_an_exception_matching_nothing_is_stale if {
	exceptions := [exception("CIPA-AWS-S3-01", "aws_s3_bucket.other", "2099-01-01")]
	report := main.report with input as plan with data.cipa.catalog.controls as catalog
		with data.cipa.settings.exceptions as exceptions with time.now_ns as noon
	report.exceptions.stale == exceptions
}

test_a_pinned_instance_key_matches_only_that_instance if {
	exceptions := [exception("CIPA-AWS-S3-01", `module.net["eu.1"].aws_s3_bucket.logs[1]`, "2099-01-01")]
	report := main.report with input as plan with data.cipa.catalog.controls as catalog
		with data.cipa.settings.exceptions as exceptions with time.now_ns as noon
	not decision(report, `module.net["eu.1"].aws_s3_bucket.logs[0]`).exception
}

test_today_is_the_utc_date if {
	main.today == "2026-12-03" with time.now_ns as noon
	main.today == "2027-01-01" with time.now_ns as 1798761600000000000
}
