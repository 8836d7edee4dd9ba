//! Component identity: the ONLY place a package URL becomes (OSV ecosystem, package name to look
//! up, version to compare, version scheme).
//!
//! Follows `docs/cli-contract.md` ("The distro, and OSV ecosystems" and "Purl forms read"), the
//! OSV schema's ecosystem list (`ecosystemName`) and its per-ecosystem naming rules: PyPI names
//! PEP 503-normalised, Maven `group:artifact`, npm `@scope/name`, Go module paths (`stdlib` and
//! `toolchain` for the Go distribution), Debian/Ubuntu by **source** package, Alpine by origin,
//! RPM distros by source RPM name. Source packages are read from Syft's `upstream=` qualifier,
//! osv-scalibr's `source=`/`sourceversion=`, Trivy's `aquasecurity:trivy:Src*` properties and
//! `syft:metadata:source`. A component is never matched by its bare name: without a purl it is
//! unmatched.

use sbom_model::purl::Purl;
use sbom_model::{Component, Distro};

use crate::version::Scheme;

/// A distro as `ID` + `VERSION_ID` (version may be empty), read from `--distro`, a purl's
/// `distro=` qualifier (`debian-12`, `debian-12.5`, `bookworm`) or the SBOM's operating-system
/// component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistroRef {
    /// Lowercase os-release `ID`, e.g. `debian`, `ubuntu`, `alpine`, `opensuse-leap`.
    pub id: String,
    /// `VERSION_ID`, e.g. `12`, `12.5`, `22.04`, `3.19.1`; empty when unknown.
    pub version: String,
}

/// Debian and Ubuntu codenames (contract: "Codenames").
const CODENAMES: &[(&str, &str, &str)] = &[
    ("buster", "debian", "10"),
    ("bullseye", "debian", "11"),
    ("bookworm", "debian", "12"),
    ("trixie", "debian", "13"),
    ("forky", "debian", "14"),
    ("bionic", "ubuntu", "18.04"),
    ("focal", "ubuntu", "20.04"),
    ("jammy", "ubuntu", "22.04"),
    ("noble", "ubuntu", "24.04"),
    ("oracular", "ubuntu", "24.10"),
    ("plucky", "ubuntu", "25.04"),
];

/// Trivy's OS family names (trivy `fanal/types` OS constants) that differ from os-release's
/// `ID` for the same distro; Trivy writes them in `distro=` qualifiers and OS components.
const FAMILY_IDS: &[(&str, &str)] = &[
    ("alma", "almalinux"),
    ("redhat", "rhel"),
    ("amazon", "amzn"),
    ("cbl-mariner", "mariner"),
    ("opensuse.leap", "opensuse-leap"),
    ("opensuse.tumbleweed", "opensuse-tumbleweed"),
    ("suse linux enterprise server", "sles"),
];

/// The os-release `ID` for `id` (lowercase), mapping Trivy's family names.
fn os_release_id(id: String) -> String {
    match FAMILY_IDS.iter().find(|(f, _)| *f == id) {
        Some((_, os)) => (*os).to_string(),
        None => id,
    }
}

impl DistroRef {
    /// Parse `ID-VERSION` (`debian-12`, `debian-12.5`, `ubuntu-22.04`, `opensuse-leap-15.5`,
    /// `wolfi`) or a codename (`bookworm`); Trivy's family names become os-release IDs
    /// (`alma-9.4` → `almalinux` 9.4, `redhat-9.2` → `rhel` 9.2). `None` for an empty string.
    pub fn parse(s: &str) -> Option<DistroRef> {
        let s = s.trim().to_ascii_lowercase();
        if s.is_empty() {
            return None;
        }
        if let Some((_, id, v)) = CODENAMES.iter().find(|(c, _, _)| *c == s) {
            return Some(DistroRef {
                id: (*id).to_string(),
                version: (*v).to_string(),
            });
        }
        // The version starts after the last '-' that is followed by a digit.
        let split = s
            .char_indices()
            .filter(|(_, c)| *c == '-')
            .map(|(i, _)| i)
            .rfind(|i| {
                s.get(i + 1..)
                    .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
            });
        match split {
            Some(i) => Some(DistroRef {
                id: os_release_id(s.get(..i).unwrap_or_default().to_string()),
                version: s.get(i + 1..).unwrap_or_default().to_string(),
            }),
            None => {
                // `debian-bookworm`
                if let Some((id, code)) = s.rsplit_once('-') {
                    if let Some((_, cid, v)) = CODENAMES.iter().find(|(c, _, _)| *c == code) {
                        if *cid == id {
                            return Some(DistroRef {
                                id: id.to_string(),
                                version: (*v).to_string(),
                            });
                        }
                    }
                }
                Some(DistroRef {
                    id: os_release_id(s),
                    version: String::new(),
                })
            }
        }
    }

    /// From the SBOM's operating-system component (os-release `ID`, `VERSION_ID`, codename).
    pub fn from_model(d: &Distro) -> Option<DistroRef> {
        let id = os_release_id(d.id.trim().to_ascii_lowercase());
        if id.is_empty() {
            return None;
        }
        let mut version = d.version_id.trim().to_string();
        if version.is_empty() {
            if let Some(code) = &d.codename {
                let code = code.to_ascii_lowercase();
                if let Some((_, _, v)) = CODENAMES
                    .iter()
                    .find(|(c, cid, _)| *c == code && *cid == id)
                {
                    version = (*v).to_string();
                }
            }
        }
        Some(DistroRef { id, version })
    }

    /// The form shown in reports: `ID-VERSION`, with Debian reduced to its major release (the
    /// unit of its OSV ecosystem): `debian-12.5` → `debian-12`.
    pub fn display(&self) -> String {
        if self.version.is_empty() {
            return self.id.clone();
        }
        if self.id == "debian" {
            return format!("debian-{}", major(&self.version));
        }
        format!("{}-{}", self.id, self.version)
    }
}

fn major(v: &str) -> &str {
    v.split('.').next().unwrap_or(v)
}

fn major_minor(v: &str) -> Option<String> {
    let mut it = v.split('.');
    let a = it.next().filter(|s| !s.is_empty())?;
    let b = it.next().filter(|s| !s.is_empty())?;
    Some(format!("{a}.{b}"))
}

/// Which `affected[].package.ecosystem` strings of a record apply to a component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EcosystemRule {
    /// Exactly this ecosystem string (`PyPI`, `Debian:12`, `Alpine:v3.19`).
    Exact(String),
    /// Product ecosystems (`Red Hat:enterprise_linux:9::baseos`, `SUSE:Linux Enterprise Server
    /// 15 SP5`): the base before `:` must equal `base`, and the rest must contain `needle`.
    Product { base: String, needle: String },
}

impl EcosystemRule {
    /// Whether a record's ecosystem string applies.
    pub fn accepts(&self, ecosystem: &str) -> bool {
        match self {
            EcosystemRule::Exact(e) => e == ecosystem,
            EcosystemRule::Product { base, needle } => match ecosystem.split_once(':') {
                Some((b, rest)) => b == base && rest.contains(needle.as_str()),
                None => false,
            },
        }
    }

    /// The ecosystem key to query the database with (the exact string, or the base).
    pub fn lookup_key(&self) -> &str {
        match self {
            EcosystemRule::Exact(e) => e,
            EcosystemRule::Product { base, .. } => base,
        }
    }
}

/// What to look up for one component.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The OSV ecosystem shown in reports (`PyPI`, `Debian:12`, `Red Hat`).
    pub ecosystem: String,
    /// Which record ecosystems apply.
    pub rule: EcosystemRule,
    /// The package name as OSV spells it (PEP 503 for PyPI, `group:artifact` for Maven, the
    /// source package for Debian, ...).
    pub name: String,
    /// The version to compare (the source version for OS packages when the SBOM gives one;
    /// Go versions without `v`/`go` prefix; RPM/dpkg epoch folded in).
    pub version: String,
    /// The ordering used for `version` and the record's events.
    pub scheme: Scheme,
}

/// PEP 503 name normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if c == '-' || c == '_' || c == '.' {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Normalise a record's package name the way [`Identity::name`] is normalised for `ecosystem`
/// (PEP 503 for PyPI, lowercase for NuGet and Packagist; unchanged otherwise). Used at import and when
/// comparing.
pub fn normalise_name(ecosystem: &str, name: &str) -> String {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem);
    match base {
        "PyPI" => pep503(name),
        // NuGet ids are case-insensitive (NuGet docs, "Package ID"); OSV keeps the author's case.
        "NuGet" => name.to_lowercase(),
        // Composer compares lowercased names (its `BasePackage` keeps `strtolower($name)`), and
        // the purl `composer` type lowercases namespace and name.
        "Packagist" => name.to_lowercase(),
        _ => name.to_string(),
    }
}

/// Map a component to what the advisory database is queried with.
///
/// `distro_override` is `--distro`; `sbom_distro` the SBOM's operating-system component.
/// Errors are the reason shown in the report's `unmatched` list ("no purl", "unknown distro …",
/// "no OSV ecosystem for amzn", "no version", ...).
pub fn identify(
    c: &Component,
    distro_override: Option<&DistroRef>,
    sbom_distro: Option<&DistroRef>,
) -> Result<Identity, String> {
    let purl_str = match c.purl.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => p,
        _ => return Err("no purl".to_string()),
    };
    let purl = Purl::parse(purl_str).map_err(|e| format!("unreadable purl: {e}"))?;
    let version = purl
        .version
        .clone()
        .filter(|v| !v.is_empty())
        .or_else(|| c.version.clone().filter(|v| !v.is_empty()))
        .ok_or_else(|| "no version".to_string())?;
    let ns = purl.namespace.as_deref().filter(|s| !s.is_empty());
    let lang = |eco: &str, name: String, version: String| -> Result<Identity, String> {
        let scheme =
            Scheme::for_ecosystem(eco).ok_or_else(|| format!("no version ordering for {eco}"))?;
        Ok(Identity {
            ecosystem: eco.to_string(),
            rule: EcosystemRule::Exact(eco.to_string()),
            name,
            version,
            scheme,
        })
    };
    let joined = |sep: &str| match ns {
        Some(n) => format!("{n}{sep}{}", purl.name),
        None => purl.name.clone(),
    };
    match purl.ty.as_str() {
        "pypi" => lang("PyPI", pep503(&purl.name), version),
        "npm" => {
            let name = match ns {
                Some(n) if n.starts_with('@') => format!("{n}/{}", purl.name),
                Some(n) => format!("@{n}/{}", purl.name),
                None => purl.name.clone(),
            };
            lang("npm", name, version)
        }
        "maven" => match ns {
            Some(g) => lang("Maven", format!("{g}:{}", purl.name), version),
            None => Err("maven purl without a group (namespace)".to_string()),
        },
        "golang" => {
            let name = joined("/");
            let v = if name == "stdlib" || name == "toolchain" {
                let v = version.strip_prefix("go").unwrap_or(&version);
                v.strip_prefix('v').unwrap_or(v).to_string()
            } else {
                version.strip_prefix('v').unwrap_or(&version).to_string()
            };
            lang("Go", name, v)
        }
        "cargo" => lang("crates.io", purl.name.clone(), version),
        "gem" => lang("RubyGems", purl.name.clone(), version),
        "nuget" => lang("NuGet", normalise_name("NuGet", &purl.name), version),
        "composer" => lang(
            "Packagist",
            normalise_name("Packagist", &joined("/")),
            version,
        ),
        "hex" => lang("Hex", purl.name.clone(), version),
        "pub" => lang("Pub", purl.name.clone(), version),
        "cran" => lang("CRAN", purl.name.clone(), version),
        "hackage" => lang("Hackage", purl.name.clone(), version),
        "deb" | "apk" | "rpm" => os_identity(c, &purl, version, distro_override, sbom_distro),
        other => Err(format!("no OSV ecosystem for purl type {other}")),
    }
}

/// Source package (name, optional version) from the places producers write it.
fn source_of(c: &Component, purl: &Purl) -> (Option<String>, Option<String>) {
    let q = |k: &str| {
        purl.qualifiers
            .get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    // Syft: upstream=NAME or upstream=NAME@VERSION (also tolerate "NAME (VERSION)").
    if let Some(up) = q("upstream") {
        if let Some((n, v)) = up.split_once('@') {
            return (
                Some(n.trim().to_string()),
                Some(v.trim().to_string()).filter(|s| !s.is_empty()),
            );
        }
        if let Some((n, rest)) = up.split_once(" (") {
            let v = rest.trim_end_matches(')').trim().to_string();
            return (
                Some(n.trim().to_string()),
                Some(v).filter(|s| !s.is_empty()),
            );
        }
        return (Some(up), None);
    }
    // osv-scalibr
    if let Some(src) = q("source") {
        return (Some(src), q("sourceversion"));
    }
    // Trivy: [SrcEpoch:]SrcVersion[-SrcRelease]
    let prop = |k: &str| {
        c.property(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    if let Some(name) = prop("aquasecurity:trivy:SrcName") {
        let version = prop("aquasecurity:trivy:SrcVersion").map(|v| {
            let mut s = String::new();
            if let Some(e) = prop("aquasecurity:trivy:SrcEpoch").filter(|e| e != "0") {
                s.push_str(&e);
                s.push(':');
            }
            s.push_str(&v);
            if let Some(r) = prop("aquasecurity:trivy:SrcRelease") {
                s.push('-');
                s.push_str(&r);
            }
            s
        });
        return (Some(name), version);
    }
    if let Some(src) = prop("syft:metadata:source") {
        if let Some((n, rest)) = src.split_once(" (") {
            let v = rest.trim_end_matches(')').trim().to_string();
            return (
                Some(n.trim().to_string()),
                Some(v).filter(|s| !s.is_empty()),
            );
        }
        let v = prop("syft:metadata:sourceVersion");
        return (Some(src), v);
    }
    (None, None)
}

/// `openssl-3.0.7-27.el9.src.rpm` → `openssl`; a plain name stays as is.
fn srpm_name(s: &str) -> String {
    let base = s
        .strip_suffix(".src.rpm")
        .or_else(|| s.strip_suffix(".nosrc.rpm"));
    match base {
        Some(b) => {
            let mut parts = b.rsplitn(3, '-');
            let _release = parts.next();
            let _version = parts.next();
            match parts.next() {
                Some(n) if !n.is_empty() => n.to_string(),
                _ => b.to_string(),
            }
        }
        None => s.to_string(),
    }
}

fn with_epoch(version: String, purl: &Purl) -> String {
    match purl.qualifiers.get("epoch").map(|e| e.trim()) {
        Some(e) if !e.is_empty() && e != "0" && !version.contains(':') => format!("{e}:{version}"),
        _ => version,
    }
}

/// The distro a purl's `distro=` qualifier names (`debian-12.5`, `bookworm`, `alma-9.4`).
/// Trivy writes apk purls' `distro=` as the bare release (`3.19.1`), the distro being the
/// namespace (`pkg:apk/alpine/…`; trivy `pkg/purl` `parseApk`): that is read as `alpine-3.19.1`.
pub fn purl_distro(purl: &Purl) -> Option<DistroRef> {
    let d = purl.qualifiers.get("distro")?.trim();
    if d.starts_with(|c: char| c.is_ascii_digit()) {
        let ns = purl.namespace.as_deref().filter(|n| !n.is_empty())?;
        return DistroRef::parse(&format!("{ns}-{d}"));
    }
    DistroRef::parse(d)
}

fn os_identity(
    c: &Component,
    purl: &Purl,
    version: String,
    distro_override: Option<&DistroRef>,
    sbom_distro: Option<&DistroRef>,
) -> Result<Identity, String> {
    let from_purl = purl_distro(purl);
    let distro = distro_override
        .cloned()
        .or(from_purl)
        .or_else(|| sbom_distro.cloned())
        .ok_or_else(|| format!("unknown distro for {} package (no --distro, distro= qualifier or operating-system component)", purl.ty))?;
    let (src_name, src_version) = source_of(c, purl);
    let unknown = |why: &str| format!("unknown distro {} ({why})", distro.display());
    let exact = |eco: String, scheme: Scheme, name: String, version: String| Identity {
        ecosystem: eco.clone(),
        rule: EcosystemRule::Exact(eco),
        name,
        version,
        scheme,
    };
    match purl.ty.as_str() {
        "deb" => {
            let name = src_name.unwrap_or_else(|| purl.name.clone());
            let version = src_version.unwrap_or_else(|| with_epoch(version, purl));
            let eco = match distro.id.as_str() {
                "debian" => {
                    let m = major(&distro.version);
                    if m.is_empty() || !m.chars().all(|c| c.is_ascii_digit()) {
                        return Err(unknown("no Debian release number"));
                    }
                    format!("Debian:{m}")
                }
                "ubuntu" => {
                    let v =
                        major_minor(&distro.version).ok_or_else(|| unknown("no Ubuntu release"))?;
                    let lts = v
                        .split_once('.')
                        .and_then(|(a, b)| a.parse::<u32>().ok().map(|a| a % 2 == 0 && b == "04"))
                        .unwrap_or(false);
                    if lts {
                        format!("Ubuntu:{v}:LTS")
                    } else {
                        format!("Ubuntu:{v}")
                    }
                }
                _ => return Err(unknown("not a dpkg distro we know")),
            };
            Ok(exact(eco, Scheme::Dpkg, name, version))
        }
        "apk" => {
            let name = src_name
                .or_else(|| purl.qualifiers.get("origin").cloned())
                .or_else(|| {
                    c.property("syft:metadata:originPackage")
                        .map(str::to_string)
                })
                .unwrap_or_else(|| purl.name.clone());
            let version = src_version.unwrap_or(version);
            let eco = match distro.id.as_str() {
                "alpine" => {
                    let v =
                        major_minor(&distro.version).ok_or_else(|| unknown("no Alpine release"))?;
                    format!("Alpine:v{v}")
                }
                "wolfi" => "Wolfi".to_string(),
                "chainguard" => "Chainguard".to_string(),
                _ => return Err(unknown("not an apk distro we know")),
            };
            Ok(exact(eco, Scheme::Apk, name, version))
        }
        _ => {
            // rpm
            let name = src_name
                .map(|s| srpm_name(&s))
                .unwrap_or_else(|| purl.name.clone());
            let version = with_epoch(version, purl);
            let m = major(&distro.version).to_string();
            let need_major = || {
                if m.is_empty() {
                    Err(unknown("no release number"))
                } else {
                    Ok(())
                }
            };
            match distro.id.as_str() {
                "almalinux" => {
                    need_major()?;
                    Ok(exact(format!("AlmaLinux:{m}"), Scheme::Rpm, name, version))
                }
                "rocky" => {
                    need_major()?;
                    Ok(exact(
                        format!("Rocky Linux:{m}"),
                        Scheme::Rpm,
                        name,
                        version,
                    ))
                }
                "rhel" => {
                    need_major()?;
                    Ok(Identity {
                        ecosystem: "Red Hat".to_string(),
                        rule: EcosystemRule::Product {
                            base: "Red Hat".into(),
                            needle: format!("enterprise_linux:{m}"),
                        },
                        name,
                        version,
                        scheme: Scheme::Rpm,
                    })
                }
                "sles" | "sled" | "sles_sap" => {
                    need_major()?;
                    let needle = match distro.version.split_once('.') {
                        Some((a, b)) if b != "0" => format!(" {a} SP{b}"),
                        _ => format!(" {m}"),
                    };
                    Ok(Identity {
                        ecosystem: "SUSE".to_string(),
                        rule: EcosystemRule::Product {
                            base: "SUSE".into(),
                            needle,
                        },
                        name,
                        version,
                        scheme: Scheme::Rpm,
                    })
                }
                "opensuse-leap" => {
                    need_major()?;
                    Ok(exact(
                        format!("openSUSE:Leap {}", distro.version),
                        Scheme::Rpm,
                        name,
                        version,
                    ))
                }
                "opensuse-tumbleweed" => Ok(exact(
                    "openSUSE:Tumbleweed".into(),
                    Scheme::Rpm,
                    name,
                    version,
                )),
                "mariner" | "azurelinux" => {
                    let v =
                        major_minor(&distro.version).ok_or_else(|| unknown("no release number"))?;
                    Ok(exact(
                        format!("Azure Linux:{v}"),
                        Scheme::Rpm,
                        name,
                        version,
                    ))
                }
                "amzn" => Err("no OSV ecosystem for amzn".to_string()),
                other => Err(format!("no OSV ecosystem for {other}: unknown distro")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(purl: &str) -> Component {
        Component {
            name: "x".into(),
            purl: Some(purl.into()),
            ..Default::default()
        }
    }

    fn id(purl: &str) -> Result<Identity, String> {
        identify(&comp(purl), None, None)
    }

    #[test]
    fn pep503_names() {
        // Examples from PEP 503.
        assert_eq!(pep503("Friendly-Bard"), "friendly-bard");
        assert_eq!(pep503("FRIENDLY-BARD"), "friendly-bard");
        assert_eq!(pep503("friendly.bard"), "friendly-bard");
        assert_eq!(pep503("friendly_bard"), "friendly-bard");
        assert_eq!(pep503("friendly--bard"), "friendly-bard");
        assert_eq!(pep503("FrIeNdLy-._.-bArD"), "friendly-bard");
    }

    #[test]
    fn language_ecosystems() {
        let i = id("pkg:pypi/Flask_SQLAlchemy@3.0.0").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str(), i.scheme),
            ("PyPI", "flask-sqlalchemy", Scheme::Pep440)
        );
        let i = id("pkg:npm/%40babel/core@7.23.0").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str()),
            ("npm", "@babel/core")
        );
        let i = id("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.name, "org.apache.logging.log4j:log4j-core");
        let i = id("pkg:golang/golang.org/x/sys@v0.0.0-20210615035016-665e8c7367d1")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str(), i.version.as_str()),
            (
                "Go",
                "golang.org/x/sys",
                "0.0.0-20210615035016-665e8c7367d1"
            )
        );
        for v in ["1.19.8", "v1.19.8", "go1.19.8"] {
            let i = id(&format!("pkg:golang/stdlib@{v}")).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!((i.name.as_str(), i.version.as_str()), ("stdlib", "1.19.8"));
        }
        assert_eq!(
            id("pkg:cargo/regex@1.5.4").map(|i| i.ecosystem),
            Ok("crates.io".to_string())
        );
        assert_eq!(
            id("pkg:composer/symfony/http-kernel@5.0.0").map(|i| i.name),
            Ok("symfony/http-kernel".to_string())
        );
        assert!(id("pkg:github/foo/bar@1").is_err());
    }

    #[test]
    fn no_purl_is_unmatched() {
        let c = Component {
            name: "zlib".into(),
            version: Some("1.2".into()),
            ..Default::default()
        };
        assert_eq!(identify(&c, None, None), Err("no purl".to_string()));
        let c = Component {
            name: "minimist".into(),
            purl: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(identify(&c, None, None), Err("no purl".to_string()));
    }

    #[test]
    fn debian_source_package() {
        let i = id("pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str(), i.version.as_str()),
            ("Debian:12", "util-linux", "2.38.1-5")
        );
        let i = id("pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12.5&upstream=openssl")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str(), i.version.as_str()),
            ("Debian:12", "openssl", "3.0.11-1~deb12u2")
        );
        let i =
            id("pkg:deb/debian/vim@9.0?distro=bookworm&epoch=2").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.version.as_str()),
            ("Debian:12", "2:9.0")
        );
        let i = id("pkg:deb/debian/x@1?distro=debian-12&source=y&sourceversion=2")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((i.name.as_str(), i.version.as_str()), ("y", "2"));
        let i = id("pkg:deb/ubuntu/x@1?distro=ubuntu-22.04").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.ecosystem, "Ubuntu:22.04:LTS");
        let i = id("pkg:deb/ubuntu/x@1?distro=ubuntu-24.10").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.ecosystem, "Ubuntu:24.10");
        assert!(id("pkg:deb/debian/x@1")
            .err()
            .unwrap_or_default()
            .contains("unknown distro"));
        // --distro wins over the qualifier.
        let over = DistroRef::parse("debian-11");
        let i = identify(
            &comp("pkg:deb/debian/x@1?distro=debian-12"),
            over.as_ref(),
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.ecosystem, "Debian:11");
        // The SBOM's OS component comes last.
        let sb = DistroRef::parse("debian-12");
        let i = identify(&comp("pkg:deb/debian/x@1"), None, sb.as_ref())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.ecosystem, "Debian:12");
    }

    #[test]
    fn trivy_source_properties() {
        let mut c = comp(
            "pkg:deb/debian/bind9-libs@9.18.19-1~deb12u1?arch=amd64&distro=debian-12.5&epoch=1",
        );
        for (k, v) in [
            ("aquasecurity:trivy:SrcName", "bind9"),
            ("aquasecurity:trivy:SrcVersion", "9.18.19"),
            ("aquasecurity:trivy:SrcRelease", "1~deb12u1"),
            ("aquasecurity:trivy:SrcEpoch", "1"),
        ] {
            c.properties.push((k.into(), v.into()));
        }
        let i = identify(&c, None, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str(), i.version.as_str()),
            ("Debian:12", "bind9", "1:9.18.19-1~deb12u1")
        );
    }

    #[test]
    fn rpm_and_apk() {
        let i = id("pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=almalinux-9.4&epoch=1&upstream=openssl-3.0.7-27.el9.src.rpm")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str(), i.version.as_str()),
            ("AlmaLinux:9", "openssl", "1:3.0.7-27.el9")
        );
        let i = id(
            "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1&upstream=openssl",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (i.ecosystem.as_str(), i.name.as_str()),
            ("Alpine:v3.19", "openssl")
        );
        assert_eq!(
            id("pkg:rpm/amzn/curl@8.0?distro=amzn-2023")
                .err()
                .unwrap_or_default(),
            "no OSV ecosystem for amzn"
        );
        let i = id("pkg:rpm/redhat/curl@7.76.1-26.el9?distro=rhel-9.2")
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(i.rule.accepts("Red Hat:enterprise_linux:9::baseos"));
        assert!(!i.rule.accepts("Red Hat:enterprise_linux:8::baseos"));
    }

    #[test]
    fn distro_parse() {
        assert_eq!(
            DistroRef::parse("debian-12.5").map(|d| d.display()),
            Some("debian-12".into())
        );
        assert_eq!(
            DistroRef::parse("bookworm").map(|d| d.display()),
            Some("debian-12".into())
        );
        assert_eq!(
            DistroRef::parse("opensuse-leap-15.5"),
            Some(DistroRef {
                id: "opensuse-leap".into(),
                version: "15.5".into()
            })
        );
        assert_eq!(
            DistroRef::parse("wolfi"),
            Some(DistroRef {
                id: "wolfi".into(),
                version: String::new()
            })
        );
    }
}
