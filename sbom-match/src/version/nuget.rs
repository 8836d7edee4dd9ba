//! NuGet versions, ordered as NuGet's `NuGetVersion` / `VersionComparer.Default`
//! (NuGet.Client `NuGet.Versioning`; docs: <https://learn.microsoft.com/nuget/concepts/package-versioning>):
//! SemVer 2.0 precedence (see `semver.rs`) extended to four numeric parts
//! (`1.0.0.1 > 1.0.0`, missing parts are 0 so `1.0 == 1.0.0.0`), leading zeros ignored
//! (`1.01 == 1.1`), prerelease labels compared case-insensitively (`1.0.0-BETA == 1.0.0-beta`),
//! build metadata ignored. This is also OSV's reading (osv-scalibr `semantic/version-nuget.go`).
//!
//! Errors: as for SemVer, plus more than four numeric parts.

use super::semver::{self, Semver};

/// Parse a NuGet version.
pub(crate) fn parse(s: &str) -> Result<Semver, String> {
    let v = semver::parse(&s.to_ascii_lowercase())?;
    if v.component_count() > 4 {
        return Err("a NuGet version has at most four numeric parts".into());
    }
    Ok(Semver(v))
}
