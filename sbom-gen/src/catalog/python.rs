//! The Python cataloger: installed distributions from their core metadata, wherever they sit
//! (site-packages, dist-packages, venvs): wheel installs' `*.dist-info/METADATA`, setuptools'
//! `*.egg-info/PKG-INFO` folders and distutils' single-file `*.egg-info`.
//!
//! Follows the PyPA specifications: *Core metadata* (RFC 822 header block: headers up to the
//! first blank line; a line starting with whitespace continues the previous header, so text
//! inside a folded `Description:` is never a header), *Recording installed projects*, and *Name
//! normalization* (PEP 503: lowercase, runs of `-`, `_`, `.` become `-`). Only `Name` and
//! `Version` make a package: never a folder name, `Requires-Dist` or `top_level.txt`. The purl
//! name follows the purl spec's `pypi` rule (lowercase, `_` → `-`).

use std::collections::BTreeMap;

use sbom_model::purl::Purl;
use sbom_model::{Component, ComponentKind, Location, Unknown};

use super::{CatalogContext, CatalogOutput, Cataloger};
use crate::fs::FileSystem;

/// Largest metadata file (bytes) whose contents are asked for; real ones are well under 1 MiB
/// (the long description is the bulk).
const MAX_METADATA_BYTES: u64 = 16 << 20;
/// A `License` header value longer than this (or spanning lines) is a licence text, not a name.
const MAX_LICENSE_LEN: usize = 100;

/// The Python cataloger (see the module header).
pub struct PythonCataloger;

/// Whether `path` is a core-metadata file: `X.dist-info/METADATA`, `X.egg-info/PKG-INFO`, or a
/// file named `X.egg-info`.
pub fn is_metadata_path(path: &str) -> bool {
    let (dir, base) = match path.rsplit_once('/') {
        Some((d, b)) => (d.rsplit('/').next().unwrap_or(d), b),
        None => ("", path),
    };
    (base == "METADATA" && dir.len() > ".dist-info".len() && dir.ends_with(".dist-info"))
        || (base == "PKG-INFO" && dir.len() > ".egg-info".len() && dir.ends_with(".egg-info"))
        || (base.len() > ".egg-info".len() && base.ends_with(".egg-info"))
}

/// The header block of a core-metadata file: `(name, value)` pairs in order, names as written.
/// Continuation lines (leading space or tab, including whitespace-only lines, as Python's
/// `email.parser` reads them) are appended to the previous value after a `\n`.
/// The block ends at the first empty line, or at a line that is neither a header nor a
/// continuation (as the body would start).
pub fn parse_headers(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            break;
        }
        if line.starts_with(' ') || line.starts_with('\t') {
            match out.last_mut() {
                Some((_, v)) => {
                    v.push('\n');
                    v.push_str(line);
                }
                None => break,
            }
            continue;
        }
        let Some((k, v)) = line.split_once(':') else {
            break;
        };
        if k.is_empty() || !k.bytes().all(|b| b.is_ascii_graphic()) {
            break;
        }
        out.push((k.to_string(), v.trim().to_string()));
    }
    out
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// PEP 503 normalised name: lowercase, every run of `-`, `_`, `.` replaced by one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.extend(c.to_lowercase());
            in_sep = false;
        }
    }
    out
}

/// The purl spec's `pypi` name: lowercase, `_` → `-`.
pub fn purl_name(name: &str) -> String {
    name.to_lowercase().replace('_', "-")
}

/// A valid distribution name per the core-metadata spec: ASCII letters, digits, `.`, `_`, `-`,
/// starting and ending with a letter or digit.
fn valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
}

/// A distribution read from core metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PyDist {
    /// `Name` as written in the metadata.
    pub name: String,
    pub version: String,
    /// Declared licences: `License-Expression`; else a short one-line `License`; else the
    /// names from `License :: OSI Approved :: X` classifiers.
    pub licenses: Vec<String>,
}

/// Why a metadata file gave no distribution.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    #[error("not core metadata: no Name header")]
    NoName,
    #[error("not core metadata: no Version header")]
    NoVersion,
    #[error("invalid distribution name {0:?}")]
    BadName(String),
    #[error("invalid version {0:?}")]
    BadVersion(String),
}

/// Read a distribution from the text of a core-metadata file.
pub fn parse_metadata(text: &str) -> Result<PyDist, MetadataError> {
    let h = parse_headers(text);
    let name = header(&h, "Name")
        .filter(|v| !v.is_empty())
        .ok_or(MetadataError::NoName)?;
    let version = header(&h, "Version")
        .filter(|v| !v.is_empty())
        .ok_or(MetadataError::NoVersion)?;
    if !valid_name(name) {
        return Err(MetadataError::BadName(name.to_string()));
    }
    if version.chars().any(char::is_whitespace) {
        return Err(MetadataError::BadVersion(version.to_string()));
    }
    let mut licenses = Vec::new();
    if let Some(e) = header(&h, "License-Expression").filter(|v| !v.is_empty()) {
        licenses.push(e.to_string());
    } else if let Some(l) = header(&h, "License").filter(|v| {
        !v.is_empty() && v.len() < MAX_LICENSE_LEN && !v.contains('\n') && *v != "UNKNOWN"
    }) {
        licenses.push(l.to_string());
    } else {
        for (k, v) in &h {
            if k.eq_ignore_ascii_case("Classifier") {
                if let Some(l) = v.trim().strip_prefix("License :: OSI Approved :: ") {
                    let l = l.trim();
                    if !l.is_empty() && !licenses.iter().any(|x| x == l) {
                        licenses.push(l.to_string());
                    }
                }
            }
        }
    }
    Ok(PyDist {
        name: name.to_string(),
        version: version.to_string(),
        licenses,
    })
}

impl Cataloger for PythonCataloger {
    fn name(&self) -> &'static str {
        "python"
    }
    fn files_read(&self) -> &'static str {
        "**/*.dist-info/METADATA, **/*.egg-info/PKG-INFO, **/*.egg-info (file)"
    }
    fn ecosystems(&self) -> &'static [&'static str] {
        &["pypi"]
    }
    fn wants(&self, path: &str, size: u64) -> bool {
        size <= MAX_METADATA_BYTES && is_metadata_path(path)
    }
    /// One component per purl (the same distribution at two paths is one component with two
    /// locations). A metadata file lacking `Name`/`Version` is an unknown; links that dangle,
    /// loop or leave the image are not listed by the view and give nothing.
    fn catalog(&self, fs: &FileSystem, _ctx: &CatalogContext, out: &mut CatalogOutput) {
        let mut by_purl: BTreeMap<String, usize> = BTreeMap::new();
        for f in fs.files_matching(is_metadata_path) {
            let dist = match parse_metadata(&String::from_utf8_lossy(f.data)) {
                Ok(d) => d,
                Err(e) => {
                    out.unknowns.push(Unknown {
                        path: f.path.to_string(),
                        layer_index: Some(f.layer),
                        message: format!("python: {e}"),
                    });
                    continue;
                }
            };
            let purl = Purl::new("pypi", None, &purl_name(&dist.name))
                .with_version(&dist.version)
                .to_string();
            let loc = Location {
                path: f.path.to_string(),
                layer_diff_id: None,
                layer_index: Some(f.layer),
            };
            if let Some(c) = by_purl.get(&purl).and_then(|&i| out.components.get_mut(i)) {
                if !c.locations.contains(&loc) {
                    c.locations.push(loc);
                }
                continue;
            }
            let name = pep503(&dist.name);
            let mut properties = Vec::new();
            if name != dist.name {
                properties.push(("sbom-gen:python:name".to_string(), dist.name.clone()));
            }
            by_purl.insert(purl.clone(), out.components.len());
            out.components.push(Component {
                kind: ComponentKind::Library,
                name,
                version: Some(dist.version),
                purl: Some(purl),
                licenses: dist.licenses,
                locations: vec![loc],
                properties,
                ..Component::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_layers::{self, name_versions};
    use super::*;

    fn run(fs: &FileSystem) -> CatalogOutput {
        test_layers::run(&PythonCataloger, fs, &CatalogContext::default())
    }

    #[test]
    fn never_panics_on_garbage() {
        for g in test_layers::garbage(2) {
            let text = String::from_utf8_lossy(&g);
            let _ = parse_metadata(&text);
            let _ = parse_metadata(&format!("Name: a\nVersion: 1\n{text}"));
            let _ = pep503(&text);
            let _ = is_metadata_path(&text);
        }
    }

    #[test]
    fn names_follow_pep503_and_purl_spec() {
        // PEP 503's own examples all normalise to "friendly-bard".
        for n in [
            "friendly-bard",
            "Friendly-Bard",
            "FRIENDLY-BARD",
            "friendly.bard",
            "friendly_bard",
            "friendly--bard",
            "FrIeNdLy-._.-bArD",
        ] {
            assert_eq!(pep503(n), "friendly-bard", "{n}");
        }
        // purl-spec test suite: pypi names are lowercased and '_' becomes '-'.
        assert_eq!(purl_name("Django_package"), "django-package");
        assert_eq!(purl_name("zope.interface"), "zope.interface");
    }

    #[test]
    fn folded_description_is_not_a_header() {
        let text = include_str!("testdata/zoneinfo.egg-info");
        let d = parse_metadata(text).expect("metadata");
        assert_eq!(
            (d.name.as_str(), d.version.as_str()),
            ("backports.zoneinfo", "0.2.1")
        );
        assert_eq!(d.licenses, vec!["Apache-2.0".to_string()]);
        // Whitespace-only lines inside the folded Description continue it: later headers count.
        let h = parse_headers(text);
        assert_eq!(header(&h, "Provides-Extra"), Some("tzdata"));
        assert_eq!(h.iter().filter(|(k, _)| k == "Version").count(), 1);
        // Headers stop at the first blank line: a "Version:" in the body is not read either.
        let d = parse_metadata("Name: a\nSummary: x\n\nVersion: 9\n");
        assert_eq!(d, Err(MetadataError::NoVersion));
    }

    #[test]
    fn licenses_in_order_of_preference() {
        let d = parse_metadata(
            "Name: a\nVersion: 1\nLicense-Expression: MIT OR Apache-2.0\nLicense: BSD\n",
        )
        .expect("ok");
        assert_eq!(d.licenses, vec!["MIT OR Apache-2.0".to_string()]);
        let long = "x".repeat(150);
        let d = parse_metadata(&format!(
            "Name: a\nVersion: 1\nLicense: {long}\nClassifier: License :: OSI Approved :: MIT License\nClassifier: Topic :: X\n"
        ))
        .expect("ok");
        assert_eq!(d.licenses, vec!["MIT License".to_string()]);
        let d = parse_metadata(
            "Name: a\nVersion: 1\nLicense: Copyright (c) X\n        All rights reserved.\n",
        )
        .expect("ok");
        assert!(d.licenses.is_empty());
    }

    #[test]
    fn metadata_paths() {
        assert!(is_metadata_path(
            "usr/lib/python3/dist-packages/six-1.16.0.egg-info/PKG-INFO"
        ));
        assert!(is_metadata_path(
            "usr/local/lib/python3.11/site-packages/PyYAML-6.0.1.dist-info/METADATA"
        ));
        assert!(is_metadata_path(
            "sp/backports.zoneinfo-0.2.1-py3.11.egg-info"
        ));
        assert!(!is_metadata_path("sp/x.dist-info/RECORD"));
        assert!(!is_metadata_path("sp/x.egg-info/requires.txt"));
        assert!(!is_metadata_path("sp/.dist-info/METADATA"));
        assert!(!is_metadata_path("sp/pkg/METADATA"));
        assert!(!is_metadata_path("sp/x.egg-info/top_level.txt"));
    }

    #[test]
    fn links_and_non_metadata() {
        let mut fs = FileSystem::default();
        let sp = "usr/lib/python3/dist-packages";
        fs.add_file(
            "usr/share/pymeta/six/METADATA",
            1,
            b"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n",
        );
        fs.add_symlink(
            &format!("{sp}/six-1.16.0.dist-info/METADATA"),
            1,
            "/usr/share/pymeta/six/METADATA",
        );
        fs.add_file("etc/passwd", 1, b"root:x:0:0:root:/root:/bin/bash\n");
        fs.add_symlink(
            &format!("{sp}/passwdleak-1.0.dist-info/METADATA"),
            1,
            "../../../../../../etc/passwd",
        );
        fs.add_symlink(
            &format!("{sp}/hostleak-1.0.dist-info/METADATA"),
            1,
            "/tmp/canary/METADATA",
        );
        fs.add_symlink(
            &format!("{sp}/loop-1.0.dist-info/METADATA"),
            1,
            "METADATA.b",
        );
        fs.add_symlink(
            &format!("{sp}/loop-1.0.dist-info/METADATA.b"),
            1,
            "METADATA",
        );
        let out = run(&fs);
        assert_eq!(
            name_versions(&out),
            vec![("six".to_string(), "1.16.0".to_string())]
        );
        let six = &out.components[0];
        assert_eq!(
            six.locations[0].path,
            format!("{sp}/six-1.16.0.dist-info/METADATA")
        );
        assert_eq!(out.unknowns.len(), 1);
        assert!(out.unknowns[0].path.contains("passwdleak"));
    }

    /// Case D01: the three on-disk forms, read from the case's own image layer.
    #[test]
    fn case_d01_python_metadata_forms() {
        let Some(dir) = sbom_model::testing::shared_path("cases/D01/image") else {
            return;
        };
        let fs = test_layers::oci_layout(&dir);
        let out = run(&fs);
        let want = [
            ("backports-zoneinfo", "0.2.1"),
            ("flask-sqlalchemy", "3.1.1"),
            ("pyyaml", "6.0.1"),
            ("typing-extensions", "4.9.0"),
            ("zope-interface", "6.1"),
        ];
        assert_eq!(
            name_versions(&out),
            want.map(|(a, b)| (a.to_string(), b.to_string()))
        );
        assert!(out.unknowns.is_empty(), "{:?}", out.unknowns);
        let purls: Vec<&str> = out
            .components
            .iter()
            .filter_map(|c| c.purl.as_deref())
            .collect();
        for p in [
            "pkg:pypi/pyyaml@6.0.1",
            "pkg:pypi/typing-extensions@4.9.0",
            "pkg:pypi/flask-sqlalchemy@3.1.1",
            "pkg:pypi/zope.interface@6.1",
            "pkg:pypi/backports.zoneinfo@0.2.1",
        ] {
            assert!(purls.contains(&p), "{p} in {purls:?}");
        }
        let zope = out
            .components
            .iter()
            .find(|c| c.name == "zope-interface")
            .expect("zope");
        assert_eq!(
            zope.property("sbom-gen:python:name"),
            Some("zope.interface")
        );
        assert_eq!(
            zope.locations[0].path,
            "usr/lib/python3/dist-packages/zope.interface-6.1.egg-info/PKG-INFO"
        );
        assert_eq!(zope.locations[0].layer_index, Some(1));
    }

    /// Case D03: links inside the root are followed; dangling, looping and leaving ones give nothing.
    #[test]
    fn case_d03_python_through_links() {
        let Some(dir) = sbom_model::testing::shared_path("cases/D03/image") else {
            return;
        };
        let fs = test_layers::oci_layout(&dir);
        let out = run(&fs);
        let want = [("certifi", "2020.6.20"), ("six", "1.16.0")];
        assert_eq!(
            name_versions(&out),
            want.map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    /// Case D05: whiteouts and the opaque site-packages leave exactly five distributions.
    #[test]
    fn case_d05_python_after_whiteouts() {
        let Some(dir) = sbom_model::testing::shared_path("cases/D05/image") else {
            return;
        };
        let fs = test_layers::oci_layout(&dir);
        let out = run(&fs);
        let want = [
            ("chardet", "5.1.0"),
            ("idna", "3.3"),
            ("pip", "24.0"),
            ("requests", "2.31.0"),
            ("six", "1.16.0"),
        ];
        assert_eq!(
            name_versions(&out),
            want.map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }

    /// debian-app: the 11 required pip packages plus the optional Debian-owned six; not urllib3.
    #[test]
    fn debian_app_python_matches_expected() {
        let Some(images) = sbom_model::testing::shared_path("testdata/images") else {
            return;
        };
        let expected: serde_json::Value = serde_json::from_slice(
            &std::fs::read(images.join("expected.json")).expect("expected.json"),
        )
        .expect("json");
        let fs = test_layers::docker_archive(&images.join("debian-app.docker.tar"));
        let out = run(&fs);
        let mut want: Vec<(String, String)> = expected["images"]["debian-app"]["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .filter(|p| p["type"] == "pypi")
            .map(|p| {
                (
                    p["normalized_name"].as_str().unwrap_or("").to_string(),
                    p["version"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        want.sort();
        assert_eq!(want.len(), 12);
        assert_eq!(name_versions(&out), want);
        assert!(!out.components.iter().any(|c| c.name == "urllib3"));
    }
}
