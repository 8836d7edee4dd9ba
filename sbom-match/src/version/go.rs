//! Go versions: module versions and Go toolchain / standard-library versions, ordered as SemVer
//! (see `semver.rs`).
//!
//! - Module versions (<https://go.dev/ref/mod#versions>): `v1.2.3`, prereleases, pseudo-versions
//!   such as `v0.0.0-20210615035016-665e8c7367d1` (SemVer prereleases, so ordinary SemVer
//!   precedence applies), `+incompatible` (build metadata, ignored). The `v` is optional because
//!   OSV records store Go versions without it.
//! - Toolchain versions (`go1.19.8`, `1.21`, `1.21rc2`, `go1.20beta1`) are first converted to
//!   SemVer the way the Go vulnerability database does (golang.org/x/vulndb `stdlib` tag
//!   conversion): a missing minor/patch becomes `.0` and a trailing `alphaN`/`betaN`/`rcN`
//!   becomes the prerelease `-alpha.N`/`-beta.N`/`-rc.N` (`1.21rc2` → `1.21.0-rc.2`).
//!
//! Anything else goes through the lenient SemVer reading of `semver.rs`; strings that do not
//! start with a digit after `go`/`v` are errors.

use super::semver::{self, Semver};

/// If `s` (without `go`/`v`) is a toolchain version, its SemVer form.
fn toolchain_to_semver(s: &str) -> Option<String> {
    let digits_end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (nums, suffix) = s.split_at(digits_end);
    let parts: Vec<&str> = nums.split('.').collect();
    if parts.is_empty()
        || parts.len() > 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let pre = if suffix.is_empty() {
        String::new()
    } else {
        let kind_len = ["alpha", "beta", "rc"]
            .iter()
            .find(|k| suffix.starts_with(*k))?
            .len();
        let (kind, n) = suffix.split_at(kind_len);
        if n.is_empty() || !n.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        format!("-{kind}.{n}")
    };
    let mut out: Vec<&str> = parts.clone();
    while out.len() < 3 {
        out.push("0");
    }
    Some(format!("{}{}", out.join("."), pre))
}

/// Parse a Go module or toolchain version.
pub(crate) fn parse(s: &str) -> Result<Semver, String> {
    let body = s
        .strip_prefix("go")
        .or_else(|| s.strip_prefix('v'))
        .unwrap_or(s);
    match toolchain_to_semver(body) {
        Some(converted) => semver::parse(&converted).map(Semver),
        None => semver::parse(body).map(Semver),
    }
}
