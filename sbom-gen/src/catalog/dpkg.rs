//! The dpkg cataloger: Debian and Ubuntu packages from `var/lib/dpkg/status` and from the
//! distroless `var/lib/dpkg/status.d/*` folder, plus the file lists `var/lib/dpkg/info/*.list`
//! (which OS package owns which path).
//!
//! Format: deb822 control stanzas (deb-control(5), deb-status(5)): `Field: value` lines,
//! continuation lines start with a space or tab, stanzas are separated by blank lines, field
//! names are case-insensitive. In `status` only stanzas whose `Status` third word is
//! `installed` count (as `dpkg-query -W` lists them); a `status.d` file is one or more stanzas
//! copied from the packages' control files (no `Status`, meaning installed), and its
//! `*.md5sums` companions are not stanzas. `Source: name (version)` names the source package
//! (absent: the package itself, same version), as dpkg-query's `${source:Package}` /
//! `${source:Version}`.
//!
//! Purls follow Syft's form (cli-contract.md, "Package URLs written by sbom-gen"):
//! `pkg:deb/<distro id>/<name>@<version>?arch=<arch>&distro=<ID-VERSION_ID>&upstream=<source>`,
//! `upstream=SRC@SRCVERSION` when the source version differs from the binary's.
//!
//! Licences come from `usr/share/doc/<pkg>/copyright` when it is machine-readable (Debian's
//! copyright-format 1.0, "DEP-5"): the short names of the `License:` fields of its `Files`
//! paragraphs, mapped to SPDX ids (copyright-format's `GPL-2+` is SPDX `GPL-2.0-or-later`);
//! names with no certain SPDX equivalent (`Artistic`, `public-domain`, `… with … exception`)
//! are left out rather than guessed.

use std::collections::{BTreeMap, HashMap, HashSet};

use sbom_model::purl::Purl;
use sbom_model::{Component, ComponentKind, Location, Unknown};

use super::{CatalogContext, CatalogOutput, Cataloger};
use crate::fs::{EntryKind, FileSystem};

/// The dpkg status database.
pub const STATUS: &str = "var/lib/dpkg/status";
/// The distroless per-package status folder (one control stanza file per package).
pub const STATUS_D: &str = "var/lib/dpkg/status.d/";
/// The folder of dpkg's per-package control files (`<pkg>[:<arch>].list` file lists).
pub const INFO: &str = "var/lib/dpkg/info/";

/// Largest status file (bytes) whose contents are asked for: a generous bound on real databases
/// (a full desktop's status is a few MiB).
const MAX_STATUS_BYTES: u64 = 64 << 20;
/// Largest `info/*.list` file asked for.
const MAX_LIST_BYTES: u64 = 16 << 20;
/// Largest `usr/share/doc/<pkg>/copyright` file asked for.
const MAX_COPYRIGHT_BYTES: u64 = 2 << 20;
/// Most licences kept per package.
const MAX_LICENSES: usize = 32;
/// Where a package's copyright file lives: `usr/share/doc/<pkg>/copyright`.
const DOC: &str = "usr/share/doc/";

/// The dpkg cataloger (see the module header).
pub struct DpkgCataloger;

/// One deb822 stanza: its 1-based first line in the file and its fields in order. A field's
/// value is its first-line text (trimmed) followed by its continuation lines, joined by `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stanza {
    pub line: usize,
    pub fields: Vec<(String, String)>,
}

impl Stanza {
    /// The value of a field, by case-insensitive name (the first one, if repeated).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Split a deb822 text into stanzas. Lines that are neither `Field: value` nor continuations
/// are ignored; a continuation line before any field is ignored; `#` comment lines are skipped.
pub fn parse_stanzas(text: &str) -> Vec<Stanza> {
    let mut out = Vec::new();
    let mut cur: Option<Stanza> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            if let Some(s) = cur.take() {
                out.push(s);
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some((_, v)) = cur.as_mut().and_then(|s| s.fields.last_mut()) {
                v.push('\n');
                v.push_str(line.trim());
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        let s = cur.get_or_insert_with(|| Stanza {
            line: i + 1,
            fields: Vec::new(),
        });
        s.fields.push((k.trim().to_string(), v.trim().to_string()));
    }
    if let Some(s) = cur {
        out.push(s);
    }
    out
}

/// An installed binary package as a stanza describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebPackage {
    pub name: String,
    pub version: String,
    /// `Architecture`, e.g. `amd64` or `all`; `None` when absent.
    pub arch: Option<String>,
    /// Source package name (the package's own name when `Source` is absent).
    pub source: String,
    /// Source package version (the binary's version when `Source` gives none).
    pub source_version: String,
}

/// Why a stanza gave no package.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StanzaError {
    #[error("line {line}: stanza without a Package field")]
    NoPackage { line: usize },
    #[error("line {line}: stanza of package {package:?} without a Version field")]
    NoVersion { line: usize, package: String },
}

/// Whether a `Status` value (`want flag status`, deb-status(5)) says the package is installed.
pub fn status_installed(status: &str) -> bool {
    status.split_whitespace().nth(2) == Some("installed")
}

impl DebPackage {
    /// Read a package from a stanza. `Ok(None)` when the stanza is not an installed package
    /// (its `Status` third word is not `installed`; with `require_status`, also when it has no
    /// `Status`). Errors name the stanza's line.
    pub fn from_stanza(
        s: &Stanza,
        require_status: bool,
    ) -> Result<Option<DebPackage>, StanzaError> {
        match s.get("Status") {
            Some(st) if !status_installed(st) => return Ok(None),
            None if require_status => return Ok(None),
            _ => {}
        }
        let name = s.get("Package").map(str::trim).filter(|n| !n.is_empty());
        let Some(name) = name else {
            return Err(StanzaError::NoPackage { line: s.line });
        };
        let version = s.get("Version").map(str::trim).filter(|n| !n.is_empty());
        let Some(version) = version else {
            return Err(StanzaError::NoVersion {
                line: s.line,
                package: name.to_string(),
            });
        };
        let (source, source_version) =
            match s.get("Source").map(str::trim).filter(|v| !v.is_empty()) {
                None => (name.to_string(), version.to_string()),
                Some(src) => match src.split_once('(') {
                    Some((n, rest)) => {
                        let v = rest.split(')').next().unwrap_or("").trim();
                        let n = n.trim();
                        let n = if n.is_empty() { name } else { n };
                        (
                            n.to_string(),
                            if v.is_empty() {
                                version.to_string()
                            } else {
                                v.to_string()
                            },
                        )
                    }
                    None => (src.to_string(), version.to_string()),
                },
            };
        Ok(Some(DebPackage {
            name: name.to_string(),
            version: version.to_string(),
            arch: s
                .get("Architecture")
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
            source,
            source_version,
        }))
    }

    /// The purl in Syft's form; `namespace` is the distro id (`debian`, `ubuntu`), `distro` the
    /// `ID-VERSION_ID` qualifier when known.
    pub fn purl(&self, namespace: &str, distro: Option<&str>) -> Purl {
        let upstream = if self.source_version != self.version {
            format!("{}@{}", self.source, self.source_version)
        } else if self.source != self.name {
            self.source.clone()
        } else {
            String::new()
        };
        let mut p = Purl::new("deb", Some(namespace), &self.name).with_version(&self.version);
        if let Some(a) = &self.arch {
            p = p.with_qualifier("arch", a);
        }
        if let Some(d) = distro {
            p = p.with_qualifier("distro", d);
        }
        p.with_qualifier("upstream", &upstream)
    }
}

/// Whether `path` is a `status.d` stanza file (a direct child, not a `*.md5sums` companion).
fn is_status_d_file(path: &str) -> bool {
    path.strip_prefix(STATUS_D)
        .is_some_and(|rest| !rest.is_empty() && !rest.contains('/') && !rest.ends_with(".md5sums"))
}

/// Whether `path` is a `var/lib/dpkg/info/*.list` file list.
fn is_info_list(path: &str) -> bool {
    path.strip_prefix(INFO).is_some_and(|rest| {
        rest.len() > ".list".len() && !rest.contains('/') && rest.ends_with(".list")
    })
}

/// Whether `path` is `usr/share/doc/<pkg>/copyright`.
fn is_copyright(path: &str) -> bool {
    path.strip_prefix(DOC)
        .and_then(|r| r.strip_suffix("/copyright"))
        .is_some_and(|pkg| !pkg.is_empty() && !pkg.contains('/'))
}

/// SPDX ids that copyright-format short names are written as unchanged (compared
/// case-insensitively, written in SPDX's case).
const SPDX_AS_IS: &[&str] = &[
    "0BSD",
    "Apache-1.0",
    "Apache-1.1",
    "Apache-2.0",
    "Beerware",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSD-4-Clause-UC",
    "BSL-1.0",
    "CC0-1.0",
    "curl",
    "FSFUL",
    "FSFULLR",
    "ISC",
    "Latex2e",
    "MIT",
    "MPL-1.1",
    "MPL-2.0",
    "OLDAP-2.8",
    "OpenSSL",
    "PSF-2.0",
    "SSLeay",
    "TCL",
    "Unlicense",
    "WTFPL",
    "X11",
    "Zlib",
];

/// One copyright-format short name (no `or`/`and`) as an SPDX id, when certain.
fn spdx_id(name: &str) -> Option<String> {
    let n = name.trim();
    if let Some(id) = SPDX_AS_IS.iter().find(|id| id.eq_ignore_ascii_case(n)) {
        return Some((*id).to_string());
    }
    let lower = n.to_ascii_lowercase();
    match lower.as_str() {
        "expat" => return Some("MIT".to_string()),
        "apache-2" => return Some("Apache-2.0".to_string()),
        "cc0" => return Some("CC0-1.0".to_string()),
        "openldap-2.8" => return Some("OLDAP-2.8".to_string()),
        "zope-2.1" => return Some("ZPL-2.1".to_string()),
        _ => {}
    }
    // GPL/LGPL/AGPL/GFDL with a version, `+` meaning "or later"; `GPLv3+` as some files write it.
    let (base, later) = match lower.strip_suffix('+') {
        Some(b) => (b, true),
        None => (lower.as_str(), false),
    };
    let (family, version) = base.split_once('-').or_else(|| base.split_once('v'))?;
    let (family, version) = match (family, version) {
        ("gfdl", v) => match v.strip_prefix("niv-") {
            Some(v) => ("GFDL", format!("{}-no-invariants", gfdl_version(v)?)),
            None => ("GFDL", gfdl_version(v)?.to_string()),
        },
        ("gpl", v) => ("GPL", gnu_version(v, &["1", "2", "3"])?),
        ("lgpl", v) => ("LGPL", gnu_version(v, &["2", "2.1", "3"])?),
        ("agpl", v) => ("AGPL", gnu_version(v, &["3"])?),
        _ => return None,
    };
    Some(format!(
        "{family}-{version}-{}",
        if later { "or-later" } else { "only" }
    ))
}

/// `2` → `2.0`, `2.1` → `2.1`, when the GNU licence has that version.
fn gnu_version(v: &str, known: &[&str]) -> Option<String> {
    let v = v.strip_suffix(".0").unwrap_or(v);
    known.contains(&v).then(|| {
        if v.contains('.') {
            v.to_string()
        } else {
            format!("{v}.0")
        }
    })
}

fn gfdl_version(v: &str) -> Option<&'static str> {
    match v {
        "1.1" => Some("1.1"),
        "1.2" => Some("1.2"),
        "1.3" => Some("1.3"),
        _ => None,
    }
}

/// A `License:` short-name expression (`A or B`, `A and B`) as an SPDX expression, when every
/// name maps and the operators are not mixed.
pub fn spdx_expression(short: &str) -> Option<String> {
    let s = short.trim();
    if s.is_empty()
        || s.contains(',')
        || s.split_whitespace().any(|w| w.eq_ignore_ascii_case("with"))
    {
        return None;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    let has = |op: &str| words.iter().any(|w| w.eq_ignore_ascii_case(op));
    let (op, spdx_op) = match (has("or"), has("and")) {
        (true, true) => return None,
        (true, false) => ("or", " OR "),
        (false, true) => ("and", " AND "),
        (false, false) => return spdx_id(s),
    };
    let mut parts = Vec::new();
    for part in words.split(|w| w.eq_ignore_ascii_case(op)) {
        if part.len() != 1 {
            return None;
        }
        parts.push(spdx_id(part.first()?)?);
    }
    Some(parts.join(spdx_op))
}

/// The licences of a machine-readable copyright file: the SPDX forms of the `License:` short
/// names of its `Files` paragraphs, first seen first, without repeats. Empty when the file has
/// no `Format:` header (not machine-readable).
pub fn copyright_licenses(text: &str) -> Vec<String> {
    let stanzas = parse_stanzas(text);
    if stanzas.first().and_then(|s| s.get("Format")).is_none() {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for s in stanzas.iter().filter(|s| s.get("Files").is_some()) {
        let Some(short) = s.get("License").and_then(|v| v.lines().next()) else {
            continue;
        };
        if let Some(e) = spdx_expression(short) {
            if !out.contains(&e) && out.len() < MAX_LICENSES {
                out.push(e);
            }
        }
    }
    out
}

impl Cataloger for DpkgCataloger {
    fn name(&self) -> &'static str {
        "dpkg"
    }
    fn files_read(&self) -> &'static str {
        "var/lib/dpkg/status, var/lib/dpkg/status.d/*, var/lib/dpkg/info/*.list, usr/share/doc/*/copyright"
    }
    fn ecosystems(&self) -> &'static [&'static str] {
        &["deb"]
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        ((path == STATUS || is_status_d_file(path)) && size <= MAX_STATUS_BYTES)
            || (is_info_list(path) && size <= MAX_LIST_BYTES)
            || (is_copyright(path) && size <= MAX_COPYRIGHT_BYTES)
    }
    fn catalog(&self, fs: &FileSystem, ctx: &CatalogContext, out: &mut CatalogOutput) {
        let namespace = ctx
            .distro
            .as_ref()
            .map(|d| d.id.as_str())
            .filter(|s| !s.is_empty())
            .unwrap_or("debian");
        let qualifier = ctx.distro.as_ref().map(|d| d.qualifier());
        let mut files = fs.files_matching(|p| p == STATUS);
        files.extend(fs.files_matching(is_status_d_file));
        // One component per purl; a package listed in both databases gets both locations.
        let mut by_purl: BTreeMap<String, usize> = BTreeMap::new();
        for f in files {
            let require_status = f.path == STATUS;
            let earlier = earlier_package_sets(fs, f.real_path, require_status);
            let text = String::from_utf8_lossy(f.data);
            for stanza in parse_stanzas(&text) {
                match DebPackage::from_stanza(&stanza, require_status) {
                    Ok(None) => {}
                    Ok(Some(pkg)) => {
                        let purl = pkg.purl(namespace, qualifier.as_deref()).to_string();
                        let loc = Location {
                            path: f.path.to_string(),
                            layer_diff_id: None,
                            layer_index: Some(introduced_in(&earlier, f.layer, &pkg)),
                        };
                        if let Some(&i) = by_purl.get(&purl) {
                            if let Some(c) = out.components.get_mut(i) {
                                if !c.locations.contains(&loc) {
                                    c.locations.push(loc);
                                }
                            }
                            continue;
                        }
                        let mut properties =
                            vec![("sbom-gen:dpkg:source".to_string(), pkg.source.clone())];
                        if pkg.source_version != pkg.version {
                            properties.push((
                                "sbom-gen:dpkg:source-version".to_string(),
                                pkg.source_version.clone(),
                            ));
                        }
                        let copyright = format!("{DOC}{}/copyright", pkg.name);
                        let licenses = fs
                            .read(&copyright)
                            .map(|c| copyright_licenses(&String::from_utf8_lossy(c.data)))
                            .unwrap_or_default();
                        by_purl.insert(purl.clone(), out.components.len());
                        out.components.push(Component {
                            kind: ComponentKind::Library,
                            licenses,
                            name: pkg.name,
                            version: Some(pkg.version),
                            purl: Some(purl),
                            locations: vec![loc],
                            properties,
                            ..Component::default()
                        });
                    }
                    Err(e) => out.unknowns.push(Unknown {
                        path: f.path.to_string(),
                        layer_index: Some(f.layer),
                        message: format!("dpkg: {e}"),
                    }),
                }
            }
        }
    }
}

/// (package, version, architecture) records of one copy of a status file.
type PackageSet = HashSet<(String, String, Option<String>)>;

/// The installed (package, version, architecture) records of each earlier copy of a status
/// file that later layers replaced, oldest first, with the layer of each copy.
fn earlier_package_sets(
    fs: &FileSystem,
    real_path: &str,
    require_status: bool,
) -> Vec<(usize, PackageSet)> {
    fs.superseded(real_path)
        .iter()
        .map(|(layer, data)| {
            let text = String::from_utf8_lossy(data);
            let set = parse_stanzas(&text)
                .iter()
                .filter_map(|st| DebPackage::from_stanza(st, require_status).ok().flatten())
                .map(|p| (p.name, p.version, p.arch))
                .collect();
            (*layer, set)
        })
        .collect()
}

/// The layer that introduced `pkg`: walking back from the layer of the final status file
/// through its earlier copies, the oldest copy in the unbroken run that lists the same
/// package, version and architecture (as `testdata/images/expected.json` defines a deb's
/// layer: 1 when layer 1's status already lists that version, else the layer that added it).
fn introduced_in(earlier: &[(usize, PackageSet)], final_layer: usize, pkg: &DebPackage) -> usize {
    let key = (pkg.name.clone(), pkg.version.clone(), pkg.arch.clone());
    let mut layer = final_layer;
    for (l, set) in earlier.iter().rev() {
        if !set.contains(&key) {
            break;
        }
        layer = *l;
    }
    layer
}

/// Which OS package owns which path: every path listed in `var/lib/dpkg/info/<pkg>.list` (or
/// `<pkg>:<arch>.list`), image-root-relative (no leading `/`), mapped to `<pkg>`. Directories
/// (shared by many packages) are left out when the image shows them as directories. When a
/// listed path reaches its file through a linked folder (usrmerge: `/bin` → `usr/bin`), the
/// resolved path is mapped too. When two lists name one path, the first list by name wins.
pub fn owned_files(fs: &FileSystem) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for f in fs.files_matching(is_info_list) {
        let Some(file) = f
            .path
            .strip_prefix(INFO)
            .and_then(|r| r.strip_suffix(".list"))
        else {
            continue;
        };
        let pkg = file.split(':').next().unwrap_or(file);
        if pkg.is_empty() {
            continue;
        }
        for line in String::from_utf8_lossy(f.data).lines() {
            let (p, _) = crate::fs::normalize(line.trim());
            if p.is_empty() || matches!(fs.entry(&p).map(|e| &e.kind), Some(EntryKind::Dir)) {
                continue;
            }
            if let Some(real) = fs.resolve(&p) {
                if real != p && !matches!(fs.entry(&real).map(|e| &e.kind), Some(EntryKind::Dir)) {
                    out.entry(real).or_insert_with(|| pkg.to_string());
                }
            }
            out.entry(p).or_insert_with(|| pkg.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sbom_model::Distro;

    fn debian12() -> CatalogContext {
        CatalogContext {
            distro: Some(Distro {
                id: "debian".into(),
                version_id: "12".into(),
                pretty_name: None,
                codename: Some("bookworm".into()),
            }),
        }
    }

    fn run(fs: &FileSystem, ctx: &CatalogContext) -> CatalogOutput {
        crate::catalog::test_layers::run(&DpkgCataloger, fs, ctx)
    }

    const STATUS_FIXTURE: &str = include_str!("testdata/dpkg-status");

    #[test]
    fn status_file_installed_only_with_sources() {
        let mut fs = FileSystem::default();
        fs.add_file(STATUS, 2, STATUS_FIXTURE.as_bytes());
        let out = run(&fs, &debian12());
        let got: Vec<(&str, &str)> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.purl.as_deref().unwrap_or("")))
            .collect();
        // Purl forms from cli-contract.md ("Package URLs written by sbom-gen").
        assert_eq!(
            got,
            vec![
                ("libc6", "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc"),
                ("bash", "pkg:deb/debian/bash@5.2.15-2%2Bb13?arch=amd64&distro=debian-12&upstream=bash%405.2.15-2"),
                ("adduser", "pkg:deb/debian/adduser@3.134?arch=all&distro=debian-12"),
                ("libssl3", "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl"),
            ]
        );
        let bash = &out.components[1];
        assert_eq!(bash.property("sbom-gen:dpkg:source"), Some("bash"));
        assert_eq!(
            bash.property("sbom-gen:dpkg:source-version"),
            Some("5.2.15-2")
        );
        assert_eq!(
            out.components[0].property("sbom-gen:dpkg:source-version"),
            None
        );
        assert_eq!(
            bash.locations,
            vec![Location {
                path: STATUS.into(),
                layer_diff_id: None,
                layer_index: Some(2)
            }]
        );
        // The damaged stanza (no Version) is an unknown naming the file and line; the rest parsed.
        assert_eq!(out.unknowns.len(), 2, "{:?}", out.unknowns);
        assert_eq!(out.unknowns[0].path, STATUS);
        assert!(
            out.unknowns[0].message.contains("line 30"),
            "{}",
            out.unknowns[0].message
        );
        assert!(out.unknowns[0].message.contains("broken-pkg"));
        assert!(out.unknowns[1].message.contains("without a Package"));
    }

    #[test]
    fn source_with_both_name_and_version_differing() {
        let s = &parse_stanzas(
            "Package: libfoo1\nVersion: 1:2.0-1+b1\nSource: foo (1:2.0-1)\nArchitecture: arm64\n",
        )[0];
        let p = DebPackage::from_stanza(s, false)
            .expect("ok")
            .expect("installed");
        assert_eq!(
            (p.source.as_str(), p.source_version.as_str()),
            ("foo", "1:2.0-1")
        );
        // Compared field by field: how `:` is escaped is the purl writer's business.
        let purl =
            Purl::parse(&p.purl("ubuntu", Some("ubuntu-22.04")).to_string()).expect("parses");
        assert_eq!(
            (purl.namespace.as_deref(), purl.name.as_str()),
            (Some("ubuntu"), "libfoo1")
        );
        assert_eq!(purl.version.as_deref(), Some("1:2.0-1+b1"));
        let q = |k: &str| purl.qualifiers.get(k).map(String::as_str);
        assert_eq!(
            (q("arch"), q("distro"), q("upstream")),
            (Some("arm64"), Some("ubuntu-22.04"), Some("foo@1:2.0-1"))
        );
        // Without a distro: namespace debian, no distro qualifier.
        let mut fs = FileSystem::default();
        fs.add_file(
            STATUS,
            1,
            b"Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: all\n",
        );
        let out = run(&fs, &CatalogContext::default());
        assert_eq!(
            out.components[0].purl.as_deref(),
            Some("pkg:deb/debian/a@1?arch=all")
        );
    }

    #[test]
    fn status_d_folder_skips_md5sums_and_needs_no_status() {
        let mut fs = FileSystem::default();
        fs.add_file(
            "var/lib/dpkg/status.d/tzdata",
            1,
            b"Package: tzdata\nVersion: 2026f-0+deb12u1\nArchitecture: all\nDescription: time zone\n and daylight\n",
        );
        fs.add_file(
            "var/lib/dpkg/status.d/tzdata.md5sums",
            1,
            b"0123456789abcdef0123456789abcdef  usr/share/zoneinfo/UTC\n",
        );
        fs.add_file(
            "var/lib/dpkg/status.d/two",
            1,
            b"Package: a\nVersion: 1\n\nPackage: b\nVersion: 2\nStatus: deinstall ok config-files\n",
        );
        let out = run(&fs, &debian12());
        let names: Vec<&str> = out.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, vec!["a", "tzdata"]);
        assert!(out.unknowns.is_empty(), "{:?}", out.unknowns);
        assert!(DpkgCataloger.wants("var/lib/dpkg/status.d/tzdata", 10));
        assert!(!DpkgCataloger.wants("var/lib/dpkg/status.d/tzdata.md5sums", 10));
        assert!(DpkgCataloger.wants("var/lib/dpkg/info/libc6:amd64.list", 10));
        assert!(!DpkgCataloger.wants("var/lib/dpkg/info/libc6.md5sums", 10));
        assert!(!DpkgCataloger.wants("var/lib/dpkg/status-old", 10));
    }

    #[test]
    fn never_panics_on_garbage() {
        for g in crate::catalog::test_layers::garbage(1) {
            let text = String::from_utf8_lossy(&g);
            for s in parse_stanzas(&text) {
                let _ = DebPackage::from_stanza(&s, false);
            }
            let _ = copyright_licenses(&text);
            let _ = spdx_expression(&text);
            let mut fs = FileSystem::default();
            fs.add_file(STATUS, 1, &g);
            fs.add_file("var/lib/dpkg/info/x.list", 1, &g);
            let _ = run(&fs, &debian12());
            let _ = owned_files(&fs);
        }
    }

    #[test]
    fn copyright_short_names_to_spdx() {
        // copyright-format 1.0 short names; `+` is "or later" (SPDX license list ids).
        for (short, spdx) in [
            ("GPL-2+", Some("GPL-2.0-or-later")),
            ("GPL-2", Some("GPL-2.0-only")),
            ("GPLv3+", Some("GPL-3.0-or-later")),
            ("LGPL-2.1+", Some("LGPL-2.1-or-later")),
            ("LGPL-2", Some("LGPL-2.0-only")),
            ("GFDL-NIV-1.3", Some("GFDL-1.3-no-invariants-only")),
            ("BSD-3-clause", Some("BSD-3-Clause")),
            ("Expat", Some("MIT")),
            ("zlib", Some("Zlib")),
            ("Apache-2", Some("Apache-2.0")),
            (
                "LGPL-3+ or GPL-2+",
                Some("LGPL-3.0-or-later OR GPL-2.0-or-later"),
            ),
            ("OpenLDAP-2.8 and curl", Some("OLDAP-2.8 AND curl")),
            ("GPL-1+ or Artistic", None),
            ("GPL-3+ with Bison exception", None),
            ("public-domain", None),
            ("GPL", None),
            ("GPL-4", None),
            ("LGPLv3+_or_GPLv2+", None),
            ("MIT or GPL-2 and BSD-3-clause", None),
            ("", None),
        ] {
            assert_eq!(spdx_expression(short).as_deref(), spdx, "{short}");
        }
        let got = copyright_licenses(include_str!("testdata/copyright-dep5"));
        assert_eq!(
            got,
            vec![
                "GPL-2.0-or-later",
                "LGPL-2.1-or-later OR BSD-3-Clause",
                "MIT"
            ]
        );
        assert!(copyright_licenses("This is not machine-readable.\nLicense: GPL-2+\n").is_empty());

        let mut fs = FileSystem::default();
        fs.add_file(STATUS, 1, b"Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nSource: zlib\n");
        fs.add_file(
            "usr/share/doc/zlib1g/copyright",
            1,
            b"Format: x\n\nFiles: *\nLicense: Zlib\n",
        );
        assert!(DpkgCataloger.wants("usr/share/doc/zlib1g/copyright", 100));
        assert!(!DpkgCataloger.wants("usr/share/doc/zlib1g/changelog.gz", 100));
        assert_eq!(run(&fs, &debian12()).components[0].licenses, vec!["Zlib"]);
    }

    #[test]
    fn owned_files_from_lists() {
        let mut fs = FileSystem::default();
        fs.add_file("usr/lib/python3/dist-packages/six.py", 1, b"");
        fs.add_file("usr/bin/bash", 1, b"");
        fs.add_symlink("bin", 1, "usr/bin");
        fs.add_file(
            "var/lib/dpkg/info/python3-six.list",
            1,
            b"/.\n/usr\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/six.py\n/usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO\n",
        );
        fs.add_file("var/lib/dpkg/info/bash:amd64.list", 1, b"/bin/bash\n");
        let owned = owned_files(&fs);
        assert_eq!(
            owned
                .get("usr/lib/python3/dist-packages/six.py")
                .map(String::as_str),
            Some("python3-six")
        );
        assert_eq!(
            owned
                .get("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO")
                .map(String::as_str),
            Some("python3-six")
        );
        assert_eq!(owned.get("bin/bash").map(String::as_str), Some("bash"));
        assert_eq!(owned.get("usr/bin/bash").map(String::as_str), Some("bash"));
        assert!(
            !owned.contains_key("usr"),
            "directories are shared, not owned"
        );
        assert!(!owned.contains_key(""));
    }

    /// The real debian-app image: layer 2's status file against expected.json's 123 deb packages.
    #[test]
    fn debian_app_status_matches_expected() {
        let Some(images) = sbom_model::testing::shared_path("testdata/images") else {
            return;
        };
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(images.join("expected.json")).expect("expected.json"),
        )
        .expect("json");
        let fs = crate::catalog::test_layers::docker_archive(&images.join("debian-app.docker.tar"));
        let ctx = CatalogContext {
            distro: crate::distro::detect(&fs),
        };
        assert_eq!(
            ctx.distro.as_ref().map(|d| d.qualifier()).as_deref(),
            Some("debian-12")
        );
        let out = run(&fs, &ctx);
        assert!(out.unknowns.is_empty(), "{:?}", out.unknowns);
        let want: Vec<&serde_json::Value> = expected["images"]["debian-app"]["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .filter(|p| p["type"] == "deb")
            .collect();
        assert_eq!(want.len(), 123);
        assert_eq!(out.components.len(), want.len());
        for w in want {
            let name = w["name"].as_str().expect("name");
            let c = out
                .components
                .iter()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("missing {name}"));
            let version = w["version"].as_str().expect("version");
            let (src, srcv) = (
                w["source"].as_str().expect("source"),
                w["source_version"].as_str().expect("sv"),
            );
            assert_eq!(c.version.as_deref(), Some(version), "{name}");
            assert_eq!(c.property("sbom-gen:dpkg:source"), Some(src), "{name}");
            let p = Purl::parse(c.purl.as_deref().expect("purl")).expect("purl parses");
            assert_eq!(
                p.qualifiers.get("arch").map(String::as_str),
                w["arch"].as_str(),
                "{name}"
            );
            assert_eq!(
                p.qualifiers.get("distro").map(String::as_str),
                Some("debian-12")
            );
            let upstream = if srcv != version {
                Some(format!("{src}@{srcv}"))
            } else if src != name {
                Some(src.to_string())
            } else {
                None
            };
            assert_eq!(p.qualifiers.get("upstream"), upstream.as_ref(), "{name}");
            assert_eq!(
                c.property("sbom-gen:dpkg:source-version"),
                (srcv != version).then_some(srcv),
                "{name}"
            );
            assert_eq!(c.locations[0].path, w["path"].as_str().expect("path"));
        }
        let bash = out
            .components
            .iter()
            .find(|c| c.name == "bash")
            .expect("bash");
        assert!(
            bash.purl
                .as_deref()
                .unwrap_or("")
                .ends_with("&upstream=bash%405.2.15-2"),
            "{:?}",
            bash.purl
        );
        // python3-six owns the egg-info that the Python cataloger reports.
        let owned = owned_files(&fs);
        assert_eq!(
            owned
                .get("usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO")
                .map(String::as_str),
            Some("python3-six")
        );
    }

    /// The distroless-like image: three status.d packages, no `.md5sums` packages.
    #[test]
    fn distroless_status_d_matches_expected() {
        let Some(images) = sbom_model::testing::shared_path("testdata/images") else {
            return;
        };
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(images.join("expected.json")).expect("expected.json"),
        )
        .expect("json");
        let fs = crate::catalog::test_layers::docker_archive(
            &images.join("debian-slim-distroless-like.docker.tar"),
        );
        let ctx = CatalogContext {
            distro: crate::distro::detect(&fs),
        };
        let d = ctx.distro.as_ref().expect("distro");
        assert_eq!(
            (d.qualifier().as_str(), d.pretty_name.as_deref()),
            ("debian-12", Some("Distroless"))
        );
        let out = run(&fs, &ctx);
        let mut got: Vec<(String, String, String)> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.version.clone().unwrap_or_default(),
                    c.locations[0].path.clone(),
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, String, String)> = expected["images"]
            ["debian-slim-distroless-like"]["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .filter(|p| p["type"] == "deb")
            .map(|p| {
                let s = |k: &str| p[k].as_str().unwrap_or_default().to_string();
                (s("name"), s("version"), s("path"))
            })
            .collect();
        want.sort();
        assert_eq!(want.len(), 3);
        assert_eq!(got, want);
    }

    /// Case D05: the squashed status of three layers lists exactly the three remaining packages.
    #[test]
    fn case_d05_dpkg_after_whiteouts() {
        let Some(dir) = sbom_model::testing::shared_path("cases/D05/image") else {
            return;
        };
        let fs = crate::catalog::test_layers::oci_layout(&dir);
        let ctx = CatalogContext {
            distro: crate::distro::detect(&fs),
        };
        let out = run(&fs, &ctx);
        let mut got: Vec<(String, String)> = out
            .components
            .iter()
            .map(|c| (c.name.clone(), c.version.clone().unwrap_or_default()))
            .collect();
        got.sort();
        let want = [
            ("python3-chardet", "5.1.0+dfsg-2"),
            ("python3-idna", "3.3-1"),
            ("python3-six", "1.16.0-4"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    /// Case D03: Debian 11 through the absolute os-release link; the three dpkg packages.
    #[test]
    fn case_d03_dpkg_and_distro_through_links() {
        let Some(dir) = sbom_model::testing::shared_path("cases/D03/image") else {
            return;
        };
        let fs = crate::catalog::test_layers::oci_layout(&dir);
        let ctx = CatalogContext {
            distro: crate::distro::detect(&fs),
        };
        assert_eq!(
            ctx.distro.as_ref().map(|d| d.qualifier()).as_deref(),
            Some("debian-11")
        );
        let out = run(&fs, &ctx);
        let mut got: Vec<(String, String)> = out
            .components
            .iter()
            .map(|c| (c.name.clone(), c.version.clone().unwrap_or_default()))
            .collect();
        got.sort();
        let want = [
            ("base-files", "11.1+deb11u9"),
            ("bash", "5.1-2+deb11u1"),
            ("libc6", "2.31-13+deb11u8"),
        ];
        assert_eq!(got, want.map(|(a, b)| (a.to_string(), b.to_string())));
        assert!(out.components.iter().all(|c| c
            .purl
            .as_deref()
            .unwrap_or("")
            .contains("distro=debian-11")));
    }
}
