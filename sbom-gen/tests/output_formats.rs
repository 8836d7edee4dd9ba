//! `-o cyclonedx-xml`, `-o spdx-json`, `-o spdx-tag-value` end to end: the real binary on the
//! handed debian-app image writes all formats in one run; each file is valid (bom-1.6.xsd via
//! xmllint, the SPDX 2.3 JSON schema), reads back through our readers to the same packages
//! (purls, names, versions) and distro as the CycloneDX JSON, and is byte-identical on a
//! second run.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use sbom_model::{read_sbom, ComponentKind, Sbom};
use serde_json::Value;

const FORMATS: [(&str, &str); 4] = [
    ("cyclonedx-json", "a.cdx.json"),
    ("cyclonedx-xml", "b.cdx.xml"),
    ("spdx-json", "c.spdx.json"),
    ("spdx-tag-value", "d.spdx"),
];

fn skip(what: &str) {
    if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
        panic!("{what}; CI=true forbids skipping");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED: {what}");
}

/// Run sbom-gen once with every format to a file in `dir`.
fn scan_all(image: &Path, dir: &Path) {
    let mut args: Vec<String> = vec![format!("docker-archive:{}", image.display()), "-q".into()];
    for (f, name) in FORMATS {
        args.push("-o".into());
        args.push(format!("{f}={}", dir.join(name).display()));
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run_gen(&refs, None);
    assert!(
        o.status.success(),
        "sbom-gen failed: {}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
}

/// canonical purl → (name, version), for every component with a purl.
fn packages(sbom: &Sbom) -> BTreeMap<String, BTreeSet<(String, Option<String>)>> {
    let mut m: BTreeMap<String, BTreeSet<(String, Option<String>)>> = BTreeMap::new();
    for c in &sbom.components {
        if let Some(p) = &c.purl {
            let canon = sbom_model::purl::canonical(p).expect("written purls parse");
            m.entry(canon)
                .or_default()
                .insert((c.name.clone(), c.version.clone()));
        }
    }
    m
}

fn xmllint(schemas: &Path, file: &Path) -> Option<Result<(), String>> {
    if Command::new("xmllint").arg("--version").output().is_err() {
        skip("xmllint not installed (apt-get install libxml2-utils); XSD validation not run");
        return None;
    }
    let out = Command::new("xmllint")
        .env("XML_CATALOG_FILES", schemas.join("xmlcatalog.xml"))
        .args(["--nonet", "--noout", "--schema"])
        .arg(schemas.join("bom-1.6.xsd"))
        .arg(file)
        .stdout(Stdio::null())
        .output()
        .expect("xmllint runs");
    Some(if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    })
}

#[test]
fn all_formats_in_one_run_read_back_to_the_same_packages() {
    let Some(image) = shared("testdata/images/debian-app.docker.tar") else {
        return;
    };
    let Some(schemas) = shared("schemas") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    scan_all(&image, tmp.path());

    let sboms: Vec<Sbom> = FORMATS
        .iter()
        .map(|(_, name)| read_sbom(&tmp.path().join(name)).expect("our output reads back"))
        .collect();
    let formats: Vec<&str> = sboms.iter().map(|s| s.format.as_str()).collect();
    assert_eq!(
        formats,
        [
            "CycloneDX 1.6 JSON",
            "CycloneDX 1.6 XML",
            "SPDX 2.3 JSON",
            "SPDX 2.3 tag-value"
        ]
    );
    let reference = packages(&sboms[0]);
    assert!(
        reference.len() > 50,
        "debian-app has dozens of packages: {}",
        reference.len()
    );
    assert!(reference.keys().any(|p| p.starts_with("pkg:deb/debian/")));
    assert!(reference.keys().any(|p| p.starts_with("pkg:pypi/")));
    assert!(reference.keys().any(|p| p.starts_with("pkg:npm/")));
    for (s, (f, _)) in sboms.iter().zip(FORMATS) {
        assert!(s.warnings.is_empty(), "{f}: {:?}", s.warnings);
        assert_eq!(
            packages(s),
            reference,
            "{f}: packages differ from the JSON's"
        );
        let d = s
            .distro
            .as_ref()
            .unwrap_or_else(|| panic!("{f}: no distro"));
        assert_eq!(
            (d.id.as_str(), d.version_id.as_str()),
            ("debian", "12"),
            "{f}"
        );
    }
    // SPDX adds only the described image package (no purl) to the components.
    for s in &sboms[2..] {
        let extra: Vec<_> = s.components.iter().filter(|c| c.purl.is_none()).collect();
        assert_eq!(extra.len(), 2, "root and operating system: {extra:?}");
        assert!(extra
            .iter()
            .any(|c| c.kind == ComponentKind::Container && c.name == "debian-app:latest"));
        assert!(extra
            .iter()
            .any(|c| c.kind == ComponentKind::OperatingSystem));
    }

    if let Some(Err(msg)) = xmllint(&schemas, &tmp.path().join("b.cdx.xml")) {
        panic!("bom-1.6.xsd rejects the written XML:\n{msg}");
    }
    let spdx: Value = json(&tmp.path().join("c.spdx.json"));
    let schema = json(&schemas.join("spdx-2.3.schema.json"));
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(&schema)
        .expect("SPDX schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&spdx)
        .map(|e| format!("{}: {e}", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "SPDX 2.3 schema errors:\n{}",
        errors.join("\n")
    );

    // A second run gives the same bytes in every format.
    let again = tempfile::tempdir().expect("tempdir");
    scan_all(&image, again.path());
    for (f, name) in FORMATS {
        let a = std::fs::read(tmp.path().join(name)).expect("first");
        let b = std::fs::read(again.path().join(name)).expect("second");
        assert!(a == b, "{f}: output differs between two runs");
    }
}

#[test]
fn spdx_tag_value_goes_to_stdout() {
    let Some(image) = shared("testdata/images/debian-app.docker.tar") else {
        return;
    };
    let src = format!("docker-archive:{}", image.display());
    let o = run_gen(&[&src, "-q", "-o", "spdx-tag-value"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.starts_with(b"SPDXVersion: SPDX-2.3\n"));
    let sbom = sbom_model::read_sbom_bytes(&o.stdout, "stdout").expect("reads");
    assert!(sbom.warnings.is_empty(), "{:?}", sbom.warnings);
}

#[test]
fn an_unknown_format_is_a_usage_error_and_writes_nothing() {
    let Some(image) = shared("testdata/images/debian-app.docker.tar") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let xml = tmp.path().join("b.xml");
    let src = format!("docker-archive:{}", image.display());
    let o = run_gen(
        &[
            &src,
            "-o",
            &format!("cyclonedx-xml={}", xml.display()),
            "-o",
            &format!("spdx-yaml={}", tmp.path().join("x").display()),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("spdx-yaml"));
    assert!(!xml.exists());
}
