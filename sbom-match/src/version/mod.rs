//! Version orderings: one module per scheme behind one [`Version`] type.
//!
//! A version that does not parse under its scheme is an error ([`VersionError`]); the matcher
//! turns that into "unknown", never into "not affected".
//!
//! Implemented so far: dpkg, PEP 440, SemVer, Pub, Go, apk, RPM. The other schemes give an error (so the
//! matcher reports "unknown") until they land.

use std::cmp::Ordering;

mod apk;
mod dpkg;
mod go;
mod pep440;
mod rpm;
mod semver;
mod util;

/// A version-ordering scheme. Which one applies to an ecosystem: [`Scheme::for_ecosystem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// SemVer 2.0 (npm, crates.io, Hex).
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
    /// Pub (Dart): SemVer precedence, but build metadata is ordered too (`1.0.0 < 1.0.0+b`).
    Pub,
}

impl Scheme {
    /// The scheme of an OSV ecosystem name (the part before any `:`), or `None` when we have no
    /// ordering for it.
    pub fn for_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "npm" | "crates.io" | "Hex" => Scheme::Semver,
            "Pub" => Scheme::Pub,
            "Go" => Scheme::Go,
            "PyPI" => Scheme::Pep440,
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Alpine" | "Wolfi" | "Chainguard" => Scheme::Apk,
            "Red Hat" | "AlmaLinux" | "Rocky Linux" | "SUSE" | "openSUSE" | "Mariner"
            | "Azure Linux" | "Amazon Linux" | "openEuler" => Scheme::Rpm,
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

/// A parsed version, keyed for its scheme's ordering.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Parsed {
    Semver(semver::Semver),
    Go(semver::Semver),
    Pep440(pep440::PyVersion),
    Dpkg(dpkg::DpkgVersion),
    Pub(semver::Pub),
    Apk(apk::ApkVersion),
    Rpm(rpm::RpmVersion),
}

/// A parsed version. Versions of one scheme are totally ordered; comparing versions of two
/// schemes orders by scheme first (never meaningful; callers don't).
#[derive(Debug, Clone)]
pub struct Version {
    scheme: Scheme,
    raw: String,
    parsed: Parsed,
}

impl Version {
    /// Parse `s` under `scheme`.
    ///
    /// Errors: [`VersionError`] (carrying the scheme, the input and the reason) when `s` is not
    /// a version of that scheme, e.g. the empty string. Never panics.
    pub fn parse(scheme: Scheme, s: &str) -> Result<Version, VersionError> {
        let err = |reason: String| VersionError {
            scheme,
            input: s.to_string(),
            reason,
        };
        let parsed = match scheme {
            Scheme::Semver => Parsed::Semver(semver::Semver(semver::parse(s).map_err(err)?)),
            Scheme::Pub => Parsed::Pub(semver::Pub(semver::parse(s).map_err(err)?)),
            Scheme::Go => Parsed::Go(go::parse(s).map_err(err)?),
            Scheme::Pep440 => Parsed::Pep440(pep440::parse(s).map_err(err)?),
            Scheme::Dpkg => Parsed::Dpkg(dpkg::parse(s).map_err(err)?),
            Scheme::Apk => Parsed::Apk(apk::parse(s).map_err(err)?),
            Scheme::Rpm => Parsed::Rpm(rpm::parse(s).map_err(err)?),
            _ => return Err(err("this scheme is not implemented yet".to_string())),
        };
        Ok(Version {
            scheme,
            raw: s.to_string(),
            parsed,
        })
    }

    /// The scheme this version was parsed under.
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
        self.scheme
            .cmp(&other.scheme)
            .then_with(|| self.parsed.cmp(&other.parsed))
    }
}

/// Compare two version strings under one scheme.
///
/// Errors: the [`VersionError`] of the first string that does not parse.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(Version::parse(scheme, a)?.cmp(&Version::parse(scheme, b)?))
}
