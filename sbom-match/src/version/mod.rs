//! Version orderings: one module per scheme behind one [`Version`] type.
//!
//! A version that does not parse under its scheme is an error ([`VersionError`]); the matcher
//! turns that into "unknown", never into "not affected". Parsing never panics.
//!
//! Every scheme passes the OSV version suites (osv-scalibr `semantic/testdata`, in
//! `shared/version-suites/`), line by line in both directions (`tests/version_suites.rs`).
//!
//! | scheme | OSV ecosystems | rules | source |
//! |---|---|---|---|
//! | [`Scheme::Dpkg`] (`dpkg.rs`) | Debian, Ubuntu | `epoch:upstream-revision`; `~` before all, letters before other chars, digit runs numeric | Debian Policy §5.6.12; dpkg `verrevcmp` |
//! | [`Scheme::Pep440`] (`pep440.rs`) | PyPI | epoch, release (zero-padded), dev < a < b < rc < final < post, local; non-PEP 440 strings are "legacy" and sort first | PEP 440 via `pep440_rs`; `packaging` < 22 `LegacyVersion` |
//! | [`Scheme::Semver`] (`semver.rs`) | npm, crates.io, Hex | SemVer precedence, build metadata ignored; leading `v`/`=`, any-length numbers, fewer/more than 3 parts tolerated | SemVer 2.0.0 §11; OSV "semver-like" parse |
//! | [`Scheme::Pub`] (`semver.rs`) | Pub | SemVer precedence, then build metadata ordered | Dart `pub_semver` |
//! | [`Scheme::Go`] (`go.rs`) | Go | SemVer; pseudo-versions are prereleases; `+incompatible` ignored; `go1.21rc2` → `1.21.0-rc.2` | Go modules reference; Go vulndb tag conversion |
//! | [`Scheme::Rpm`] (`rpm.rs`) | Red Hat, AlmaLinux, Rocky Linux, SUSE, openSUSE, Mariner, Azure Linux, Amazon Linux, openEuler | `epoch:version-release`, `rpmvercmp`: `~` before all, `^` after end, alnum segments | rpm 4.18 `rpmvercmp.c`; OSV Red Hat comparator |
//! | [`Scheme::Apk`] (`apk.rs`) | Alpine, Wolfi, Chainguard | numbers, letter, `_alpha<_beta<_pre<_rc<none<_cvs<_svn<_git<_hg<_p`, `~hash` ignored, `-rN` | apk-tools `apk-package(5)`; OSV Alpine comparator |
//! | [`Scheme::Maven`] (`maven.rs`) | Maven | tokens at `.`/`-`/digit-letter switches, null trimming, `alpha<beta<milestone<rc=cr<snapshot<""=ga=final=release<sp`, `a`/`b`/`m` short forms | Maven "Version Order Specification", `ComparableVersion` |
//! | [`Scheme::RubyGems`] (`rubygems.rs`) | RubyGems | segments at `.` and digit/letter switches, trailing zeros dropped, a letter segment makes a prerelease | `Gem::Version#<=>` |
//! | [`Scheme::NuGet`] (`nuget.rs`) | NuGet | SemVer 2 with up to 4 parts, case-insensitive prerelease, leading zeros ignored | `NuGet.Versioning` |
//! | [`Scheme::Packagist`] (`packagist.rs`) | Packagist | canonicalised parts; dev < alpha < beta < RC < number < patch/pl | PHP `version_compare`, Composer `v` strip |
//! | [`Scheme::Cran`] (`cran.rs`) | CRAN | numbers separated by `.` or `-`, lexicographic | R `package_version` |
//! | [`Scheme::Hackage`] (`hackage.rs`) | Hackage | numbers separated by `.`, lexicographic | PVP; Cabal `Version` |
//!
//! Where a native tool and OSV disagree on a suite line, the suite (OSV's answer) wins; see each
//! module's header.
//!
//! Notes for callers:
//! - PyPI: a string that is not PEP 440 (`0.1-bulbasaur`) parses as a *legacy* version that
//!   sorts below every PEP 440 version (what OSV and the suites expect); only empty strings and
//!   strings with whitespace/control characters are errors.
//! - SemVer/Go/NuGet/Pub accept OSV's lenient forms (`0`, `1.2`, `1.2.3.4`, `1.36.0rc1`,
//!   30-digit numbers) but reject ranges and junk (`1.x`, `^1.2`, `>=1`, `latest`).
//! - The literal version `0` is `0.0.0` under SemVer, which is *above* `0.0.0-pre`; OSV's
//!   `introduced: "0"` means "from the start" and must be handled by the matcher, not by
//!   comparing against `0`.
//! - Maven inherits a non-transitive corner from ComparableVersion (`maven.rs`).

use std::cmp::Ordering;

mod apk;
mod cran;
mod dpkg;
mod go;
mod hackage;
mod maven;
mod nuget;
mod packagist;
mod pep440;
mod rpm;
mod rubygems;
mod semver;
mod util;

/// A version-ordering scheme. Which one applies to an ecosystem: [`Scheme::for_ecosystem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// SemVer 2.0 (npm, crates.io, Hex), read leniently as OSV does (see `semver.rs`).
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
    /// RubyGems `Gem::Version`.
    RubyGems,
    /// NuGet `NuGetVersion` (SemVer 2 with up to four parts).
    NuGet,
    /// Composer (Packagist).
    Packagist,
    /// CRAN (R `package_version`).
    Cran,
    /// Hackage (Haskell PVP).
    Hackage,
    /// Pub (Dart): SemVer precedence, but build metadata is ordered too (`1.0.0 < 1.0.0+b`).
    Pub,
}

impl Scheme {
    /// The scheme of an OSV ecosystem name (the part before any `:`, so `Debian:12` and
    /// `Red Hat:enterprise_linux:9::baseos` work), or `None` when we have no ordering for it.
    /// Beyond the table in the module docs, the derived ecosystems OSV's own comparators serve
    /// are mapped too (Alpaquita, BellSoft, MinimOS → apk; Mageia → RPM; Bitnami, ConanCenter,
    /// SwiftURL → SemVer; Bioconductor → CRAN).
    pub fn for_ecosystem(ecosystem: &str) -> Option<Scheme> {
        let base = ecosystem.split(':').next().unwrap_or(ecosystem);
        Some(match base {
            "npm" | "crates.io" | "Hex" | "Bitnami" | "ConanCenter" | "SwiftURL" => Scheme::Semver,
            "Pub" => Scheme::Pub,
            "Go" => Scheme::Go,
            "PyPI" => Scheme::Pep440,
            "Debian" | "Ubuntu" => Scheme::Dpkg,
            "Alpine"
            | "Wolfi"
            | "Chainguard"
            | "Alpaquita"
            | "BellSoft Hardened Containers"
            | "MinimOS" => Scheme::Apk,
            "Red Hat" | "AlmaLinux" | "Rocky Linux" | "SUSE" | "openSUSE" | "Mariner"
            | "Azure Linux" | "Amazon Linux" | "openEuler" | "Mageia" => Scheme::Rpm,
            "Maven" => Scheme::Maven,
            "RubyGems" => Scheme::RubyGems,
            "NuGet" => Scheme::NuGet,
            "Packagist" => Scheme::Packagist,
            "CRAN" | "Bioconductor" => Scheme::Cran,
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
    Maven(maven::MavenVersion),
    RubyGems(rubygems::GemVersion),
    NuGet(semver::Semver),
    Packagist(packagist::PackagistVersion),
    Cran(cran::NumericVersion),
    Hackage(cran::NumericVersion),
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
            Scheme::Maven => Parsed::Maven(maven::parse(s).map_err(err)?),
            Scheme::RubyGems => Parsed::RubyGems(rubygems::parse(s).map_err(err)?),
            Scheme::NuGet => Parsed::NuGet(nuget::parse(s).map_err(err)?),
            Scheme::Packagist => Parsed::Packagist(packagist::parse(s).map_err(err)?),
            Scheme::Cran => Parsed::Cran(cran::parse(s).map_err(err)?),
            Scheme::Hackage => Parsed::Hackage(hackage::parse(s).map_err(err)?),
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
