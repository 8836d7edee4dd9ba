//! Version orderings: one module per scheme behind one [`Version`] type.
//!
//! A version that does not parse under its scheme is an error ([`VersionError`]); the matcher
//! turns that into "unknown", never into "not affected".
//!
//! STUB: the version work fills in each scheme (see the docs on [`Scheme`]).

use std::cmp::Ordering;

/// A version-ordering scheme. Which one applies to an ecosystem: [`Scheme::for_ecosystem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// SemVer 2.0 (npm, crates.io, Hex, Pub).
    Semver,
    /// Go modules: SemVer with a `v` prefix, pseudo-versions, `+incompatible`; Go toolchain
    /// versions (`1.19.8`, `go1.19.8`).
    Go,
    /// PEP 440 (PyPI).
    Pep440,
    /// dpkg (Debian, Ubuntu).
    Dpkg,
    /// apk-tools (Alpine, Wolfi, Chainguard).
    Apk,
    /// rpmvercmp with epoch (Red Hat family, SUSE, Mariner, ...).
    Rpm,
    /// Maven ComparableVersion.
    Maven,
    RubyGems,
    NuGet,
    /// Composer (Packagist).
    Packagist,
    Cran,
    Hackage,
}

impl Scheme {
    /// The scheme of an OSV ecosystem name (the part before any `:`), or `None` when we have no
    /// ordering for it.
    pub fn for_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "npm" | "crates.io" | "Hex" | "Pub" => Scheme::Semver,
            "Go" => Scheme::Go,
            "PyPI" => Scheme::Pep440,
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Alpine" | "Wolfi" | "Chainguard" => Scheme::Apk,
            "Red Hat" | "AlmaLinux" | "Rocky Linux" | "SUSE" | "openSUSE" | "Mariner" | "Azure Linux"
            | "Amazon Linux" | "openEuler" => Scheme::Rpm,
            "Maven" => Scheme::Maven,
            "RubyGems" => Scheme::RubyGems,
            "NuGet" => Scheme::NuGet,
            "Packagist" => Scheme::Packagist,
            "CRAN" => Scheme::Cran,
            "Hackage" => Scheme::Hackage,
            _ => return None,
        })
    }
}

/// Why a version string does not parse under a scheme.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a valid {scheme:?} version: {reason}")]
pub struct VersionError {
    pub scheme: Scheme,
    pub input: String,
    pub reason: String,
}

/// A parsed version. Versions of one scheme are totally ordered; comparing versions of two
/// schemes orders by scheme first (never meaningful; callers don't).
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    raw: String,
}

impl Version {
    /// Parse `s` under `scheme`.
    pub fn parse(scheme: Scheme, s: &str) -> Result<Version, VersionError> {
        Ok(Version { scheme, raw: s.to_string() })
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The string as given.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Version {}
impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.scheme.cmp(&other.scheme).then_with(|| self.raw.cmp(&other.raw))
    }
}

/// Compare two version strings under one scheme.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(Version::parse(scheme, a)?.cmp(&Version::parse(scheme, b)?))
}
