# METADATA
# title: Terraform module source addresses
# description: |
#   Classifies a module call's `source` the way `terraform init` does (local path, registry address, git or
#   Mercurial repository, other archive), puts it in a canonical form for prefix matching, and reads the pinned
#   revision of registry and repository sources.
# custom:
#   library: true
package cipa.lib.module_sources

# --- Kinds ---------------------------------------------------------------------------------------------------

# "local" (./ or ../), "registry" ([host/]namespace/name/system), "git", "hg", or "archive" (http, s3, gcs, …).
kind(source) := "local" if {
	local(source)
} else := "git" if {
	regex.match(`^(git::|github\.com/|bitbucket\.org/|git@)`, source)
} else := "hg" if {
	startswith(source, "hg::")
} else := "registry" if {
	registry(source)
} else := "archive"

local(source) if startswith(source, "./")

local(source) if startswith(source, "../")

# Registry addresses: namespace/name/system with an optional hostname (a name with a dot) and //subdirectory.
registry(source) if {
	not contains(source, "::")
	not contains(source, "://")
	regex.match(`^([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?/)?[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9]+(//.*)?$`, source)
}

# --- Canonical form ------------------------------------------------------------------------------------------

# Lower case, without a forced getter ("git::"), URL scheme, "git@" user or the public registry's hostname, and
# with scp-like "host:path" turned into "host/path": "git::https://github.com/Acme/x" and "git@github.com:acme/x"
# both become "github.com/acme/x"; "registry.terraform.io/acme/x/aws" becomes "acme/x/aws". Local paths are
# returned as written.
canonical(source) := source if {
	local(source)
} else := _strip_registry(_scp(_strip_user(_strip_scheme(_strip_getter(lower(trim_space(source)))))))

_strip_getter(s) := substring(s, indexof(s, "::") + 2, -1) if {
	regex.match(`^[a-z0-9]+::`, s)
} else := s

_strip_scheme(s) := substring(s, indexof(s, "://") + 3, -1) if {
	regex.match(`^[a-z][a-z0-9+.-]*://`, s)
} else := s

_strip_user(s) := substring(s, indexof(s, "@") + 1, -1) if {
	regex.match(`^[a-z0-9._-]+@`, s)
} else := s

# scp-like "github.com:acme/x.git" (a colon before the first slash, not followed by a port number).
_scp(s) := concat("/", [parts[0], substring(s, count(parts[0]) + 1, -1)]) if {
	regex.match(`^[a-z0-9.-]+:[^0-9/]`, s)
	parts := split(s, ":")
} else := s

_strip_registry(s) := trim_prefix(s, "registry.terraform.io/")

# True when the source starts with the prefix, both in canonical form.
matches_prefix(source, prefix) if startswith(canonical(source), canonical(prefix))

# --- Pinning -------------------------------------------------------------------------------------------------

# A version constraint that admits exactly one version: "1.2.3", "= 1.2.3", "=v1.2.3-rc.1".
exact_version(constraint) if {
	is_string(constraint)
	regex.match(`^\s*=?\s*v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$`, constraint)
}

# The value of the ?ref= (git) or ?rev= (hg) query argument, or "" when there is none.
revision(source) := match[0][1] if {
	match := regex.find_all_string_submatch_n(`[?&](?:ref|rev)=([^&#]*)`, source, 1)
	count(match) == 1
} else := ""

# A revision that cannot move: a full commit id (40 or 64 hex digits) or a semantic version tag with major,
# minor and patch ("v1.2.3", "1.2.3-rc.1"). Branch names ("main"), short commit ids and partial versions ("v1",
# "v1.2", often re-pointed aliases) are not pinned.
pinned_revision(rev) if regex.match(`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`, rev)

pinned_revision(rev) if regex.match(`^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$`, rev)
