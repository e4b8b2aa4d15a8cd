package cipa.lib.module_sources_test

import data.cipa.lib.module_sources as ms

test_kinds if {
	ms.kind("./modules/vpc") == "local"
	ms.kind("../shared") == "local"
	ms.kind("terraform-aws-modules/vpc/aws") == "registry"
	ms.kind("app.terraform.io/acme/vpc/aws") == "registry"
	ms.kind("acme/vpc/aws//modules/subnets") == "registry"
	ms.kind("git::https://github.com/acme/vpc.git?ref=v1.2.3") == "git"
	ms.kind("github.com/acme/vpc") == "git"
	ms.kind("git@github.com:acme/vpc.git") == "git"
	ms.kind("bitbucket.org/acme/vpc") == "git"
	ms.kind("hg::http://example.com/vpc.hg?rev=abc") == "hg"
	ms.kind("https://example.com/vpc-module.zip") == "archive"
	ms.kind("s3::https://s3.amazonaws.com/bucket/vpc.zip") == "archive"
	ms.kind("gcs::https://www.googleapis.com/storage/v1/modules/vpc.zip") == "archive"
}

test_canonical if {
	ms.canonical("git::https://github.com/Acme/vpc.git?ref=v1") == "github.com/acme/vpc.git?ref=v1"
	ms.canonical("git::ssh://git@github.com/acme/vpc.git") == "github.com/acme/vpc.git"
	ms.canonical("git@github.com:acme/vpc.git") == "github.com/acme/vpc.git"
	ms.canonical("registry.terraform.io/Acme/vpc/aws") == "acme/vpc/aws"
	ms.canonical("./modules/x") == "./modules/x"
	ms.canonical("git::https://gitlab.example.com:8443/acme/x.git") == "gitlab.example.com:8443/acme/x.git"
}

test_matches_prefix if {
	ms.matches_prefix("git::https://github.com/acme/vpc.git?ref=v1.0.0", "github.com/acme/")
	ms.matches_prefix("github.com/acme/vpc", "git::https://github.com/acme/")
	ms.matches_prefix("acme/vpc/aws", "acme/")
	ms.matches_prefix("registry.terraform.io/acme/vpc/aws", "acme/")
	not ms.matches_prefix("acmecorp/vpc/aws", "acme/")
	not ms.matches_prefix("git::https://evil.example/github.com/acme/x", "github.com/acme/")
}

test_exact_versions if {
	every c in ["1.2.3", "= 1.2.3", "=1.2.3", " v1.2.3 ", "1.2.3-rc.1"] {
		ms.exact_version(c)
	}
	every c in ["~> 1.2", ">= 1", "1.2", "", ">= 1.2.3, < 2.0.0", "!= 1.2.3"] {
		not ms.exact_version(c)
	}
	not ms.exact_version(null)
}

test_revisions if {
	ms.revision("git::https://github.com/acme/x.git//sub?ref=v1.2.3") == "v1.2.3"
	ms.revision("git::https://github.com/acme/x.git?depth=1&ref=main") == "main"
	ms.revision("github.com/acme/x") == ""
	ms.pinned_revision("v1.2.3")
	ms.pinned_revision("2.0.0-beta.1")
	ms.pinned_revision("0123456789abcdef0123456789abcdef01234567")
	not ms.pinned_revision("main")
	not ms.pinned_revision("v1")
	not ms.pinned_revision("v1.2")
	not ms.pinned_revision("0123456")
	not ms.pinned_revision("")
}
