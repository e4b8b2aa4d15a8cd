package cipa.lib.tfplan_test

import data.cipa.lib.tfplan

rc(address, type, actions, after, unknown) := {
	"address": address,
	"mode": "managed",
	"type": type,
	"name": split(address, ".")[count(split(address, ".")) - 1],
	"provider_name": "registry.terraform.io/hashicorp/aws",
	"change": {"actions": actions, "after": after, "after_unknown": unknown, "after_sensitive": {}},
}

test_deleted_and_forgotten_resources_are_out_of_scope if {
	p := {"resource_changes": [
		rc("aws_s3_bucket.kept", "aws_s3_bucket", ["no-op"], {}, {}),
		rc("aws_s3_bucket.new", "aws_s3_bucket", ["create"], {}, {}),
		rc("aws_s3_bucket.replaced", "aws_s3_bucket", ["delete", "create"], {}, {}),
		rc("aws_s3_bucket.gone", "aws_s3_bucket", ["delete"], null, {}),
		rc("aws_s3_bucket.forgotten", "aws_s3_bucket", ["forget"], null, {}),
	]}
	object.keys(tfplan.resources) == {"aws_s3_bucket.kept", "aws_s3_bucket.new", "aws_s3_bucket.replaced"} with input as p
	tfplan.by_type.aws_s3_bucket == {"aws_s3_bucket.kept", "aws_s3_bucket.new", "aws_s3_bucket.replaced"} with input as p
}

test_module_paths_drop_instance_keys if {
	tfplan.module_path(`module.a["x.y"].module.b[0]`) == "module.a.module.b"
	tfplan.module_path(`module.a["module.evil"]`) == "module.a"
	tfplan.module_path("") == ""
	tfplan.config_key(`module.a[1]`, "managed", "aws_s3_bucket", "b") == "module.a.aws_s3_bucket.b"
	tfplan.config_key("", "data", "aws_iam_policy_document", "d") == "data.aws_iam_policy_document.d"
}

test_key_module if {
	tfplan.key_module("module.a.data.t.n") == "module.a"
	tfplan.key_module("module.data.aws_x.y") == "module.data"
	tfplan.key_module("module.data.data.t.n") == "module.data"
	tfplan.key_module("aws_x.y") == ""
	tfplan.key_module("data.t.n") == ""
}

test_unknown_and_sensitive_cover_enclosing_blocks if {
	r := {"values": {}, "unknown": {"rule": [{"a": true}], "whole": true}, "sensitive": {"password": true}}
	tfplan.is_unknown(r, ["rule", 0, "a"])
	tfplan.is_unknown(r, ["whole", "inner"])
	not tfplan.is_unknown(r, ["rule", 0, "b"])
	tfplan.is_sensitive(r, ["password"])
	tfplan.shown(r, ["password"]) == "(sensitive)"
}

test_effective_prefers_known_values_then_defaults if {
	configured := {"values": {"encrypted": null}, "unknown": {"encrypted": true}, "sensitive": {}, "config_key": "aws_ebs_volume.v"}
	p := {"configuration": {"root_module": {"resources": [
		{"address": "aws_ebs_volume.v", "mode": "managed", "type": "aws_ebs_volume", "name": "v", "expressions": {"encrypted": {"references": ["var.e"]}}},
		{"address": "aws_ebs_volume.w", "mode": "managed", "type": "aws_ebs_volume", "name": "w", "expressions": {}},
	]}}}

	# set in configuration, unknown at plan time: undecided
	not tfplan.effective(configured, "encrypted", false) with input as p

	# left to the provider although the plan shows it unknown: the provider default
	absent := {"values": {}, "unknown": {"encrypted": true}, "sensitive": {}, "config_key": "aws_ebs_volume.w"}
	tfplan.effective(absent, "encrypted", false) == false with input as p

	# computed by the provider at an earlier apply: the planned value
	computed := {"values": {"encrypted": true}, "unknown": {}, "sensitive": {}, "config_key": "aws_ebs_volume.w"}
	tfplan.effective(computed, "encrypted", false) == true with input as p
}

test_display_is_engine_independent if {
	tfplan.display("a<b") == `"a<b"`
	tfplan.display(22) == "22"
	tfplan.display(false) == "false"
	tfplan.display(["0.0.0.0/0", "::/0"]) == `["0.0.0.0/0", "::/0"]`
	tfplan.display({"b": 1, "a": ["x", 2]}) == `{"a": ["x", 2], "b": 1}`
}

plan_with_modules := {
	"resource_changes": [
		object.union(rc(`module.s["a"].aws_s3_bucket.b`, "aws_s3_bucket", ["create"], {}, {"id": true}), {"module_address": `module.s["a"]`}),
		object.union(rc(`module.s["b"].aws_s3_bucket.b`, "aws_s3_bucket", ["create"], {}, {"id": true}), {"module_address": `module.s["b"]`}),
		object.union(rc(`module.s["a"].aws_s3_bucket_versioning.v`, "aws_s3_bucket_versioning", ["create"], {}, {"bucket": true}), {"module_address": `module.s["a"]`}),
		object.union(rc(`module.s["b"].aws_s3_bucket_versioning.v`, "aws_s3_bucket_versioning", ["create"], {}, {"bucket": true}), {"module_address": `module.s["b"]`}),
		rc("aws_kms_key.k", "aws_kms_key", ["create"], {}, {"arn": true}),
		object.union(rc("aws_s3_bucket.indexed[0]", "aws_s3_bucket", ["create"], {}, {}), {"index": 0, "name": "indexed"}),
		object.union(rc("aws_s3_bucket.indexed[1]", "aws_s3_bucket", ["create"], {}, {}), {"index": 1, "name": "indexed"}),
		object.union(rc("aws_s3_bucket_versioning.indexed[0]", "aws_s3_bucket_versioning", ["create"], {}, {}), {"index": 0, "name": "indexed"}),
		object.union(rc("aws_s3_bucket_versioning.indexed[1]", "aws_s3_bucket_versioning", ["create"], {}, {}), {"index": 1, "name": "indexed"}),
		rc("aws_s3_bucket_versioning.by_name", "aws_s3_bucket_versioning", ["no-op"], {"bucket": "existing"}, {}),
		rc("aws_s3_bucket.existing", "aws_s3_bucket", ["no-op"], {"bucket": "existing", "id": "existing"}, {}),
	],
	"configuration": {"root_module": {
		"resources": [
			{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", "expressions": {}},
			{"address": "aws_s3_bucket.indexed", "mode": "managed", "type": "aws_s3_bucket", "name": "indexed", "expressions": {}},
			{"address": "aws_s3_bucket_versioning.indexed", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "indexed", "expressions": {"bucket": {"references": ["aws_s3_bucket.indexed[count.index]", "aws_s3_bucket.indexed", "count.index"]}}},
		],
		"module_calls": {"s": {"source": "./s", "expressions": {"key": {"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}}, "module": {"resources": [
			{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "expressions": {"kms": {"references": ["var.key"]}}},
			{"address": "aws_s3_bucket_versioning.v", "mode": "managed", "type": "aws_s3_bucket_versioning", "name": "v", "expressions": {"bucket": {"references": ["aws_s3_bucket.b.id", "aws_s3_bucket.b"]}}},
		]}}},
	}},
}

test_links_stay_in_their_module_instance if {
	tfplan.linked_from["module.s[\"a\"].aws_s3_bucket.b"] == {`module.s["a"].aws_s3_bucket_versioning.v`} with input as plan_with_modules
	tfplan.linked_from["module.s[\"b\"].aws_s3_bucket.b"] == {`module.s["b"].aws_s3_bucket_versioning.v`} with input as plan_with_modules
}

test_links_cross_module_inputs if {
	tfplan.linked_from["aws_kms_key.k"] == {`module.s["a"].aws_s3_bucket.b`, `module.s["b"].aws_s3_bucket.b`} with input as plan_with_modules
}

test_count_instances_pair_by_index if {
	tfplan.linked_from["aws_s3_bucket.indexed[0]"] == {"aws_s3_bucket_versioning.indexed[0]"} with input as plan_with_modules
	tfplan.linked_from["aws_s3_bucket.indexed[1]"] == {"aws_s3_bucket_versioning.indexed[1]"} with input as plan_with_modules
}

test_links_by_known_name if {
	"aws_s3_bucket_versioning.by_name" in tfplan.linked_from["aws_s3_bucket.existing"] with input as plan_with_modules
}

test_data_sources_from_state_and_deferred_reads if {
	p := {
		"resource_changes": [{"address": "data.aws_iam_policy_document.late", "mode": "data", "type": "aws_iam_policy_document", "name": "late", "change": {"actions": ["read"], "after": {}, "after_unknown": {"json": true}}}],
		"prior_state": {"values": {"root_module": {"resources": [
			{"address": "data.aws_iam_policy_document.early", "mode": "data", "type": "aws_iam_policy_document", "name": "early", "values": {"json": "{}"}},
			{"address": "data.aws_iam_policy_document.late", "mode": "data", "type": "aws_iam_policy_document", "name": "late", "values": {"json": "stale"}},
		]}}},
	}
	tfplan.data_instances["data.aws_iam_policy_document.early"].deferred == false with input as p
	tfplan.data_instances["data.aws_iam_policy_document.late"].deferred == true with input as p
	tfplan.data_instances["data.aws_iam_policy_document.late"].values == {} with input as p
}

# Each group-by has a form per engine (see tfplan.wasm); opa test evaluates both here and they must agree.
test_group_bys_agree_across_engines if {
	every name in {"by_type", "module_instances", "instances", "links", "linked_from", "identified_by"} {
		indexed := data.cipa.lib.tfplan[name] with input as plan_with_modules
		rules := data.cipa.lib.tfplan[name] with input as plan_with_modules with data.cipa.runtime.engine as "wasm"
		count(indexed) > 0
		indexed == rules
	}
}

test_the_wasm_runtime_selects_the_rule_forms if {
	not tfplan.wasm
	tfplan.wasm with data.cipa.runtime.engine as "wasm"
}
