//! The handed cases that concern image reading (`shared/cases/{E01,E02,D03,D05}`), checked at
//! the loader and squashed-view level; expected values come from each case's README.md and
//! expected.json.

use std::path::PathBuf;

use sbom_gen::fs::FileSystem;
use sbom_gen::image::{load, LoadOptions};
use sbom_gen::GenError;
use sbom_model::testing::shared_path;
use serde_json::Value;

fn wants(path: &str, _size: u64) -> bool {
    path == "var/lib/dpkg/status"
        || path == "etc/os-release"
        || path.ends_with("/METADATA")
        || path.ends_with("/PKG-INFO")
}

fn case(name: &str) -> Option<(PathBuf, Value)> {
    let dir = shared_path(&format!("cases/{name}"))?;
    let exp: Value =
        serde_json::from_slice(&std::fs::read(dir.join("expected.json")).expect("expected.json"))
            .expect("expected.json is JSON");
    Some((dir.join("image"), exp))
}

fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(": ")))
}

/// (Name, Version) of the core-metadata file at `path`, when it reads as one.
fn meta(fs: &FileSystem, path: &str) -> Option<(String, String)> {
    let f = fs.read(path)?;
    let text = String::from_utf8_lossy(f.data);
    Some((
        field(&text, "Name")?.to_string(),
        field(&text, "Version")?.to_string(),
    ))
}

#[test]
fn case_e01_truncated_gzip_layer() {
    let Some((image, exp)) = case("E01") else {
        return;
    };
    let err = load(
        &format!("oci-dir:{}", image.display()),
        &wants,
        &LoadOptions::default(),
    )
    .expect_err("a truncated layer must fail the load");
    let want_digest = exp
        .pointer("/broken_layer/digest")
        .and_then(Value::as_str)
        .expect("digest");
    match &err {
        GenError::Layer { index, digest, .. } => {
            assert_eq!(*index, 2);
            assert_eq!(digest, want_digest);
        }
        other => panic!("expected GenError::Layer, got {other:?}"),
    }
    let msg = err.to_string();
    assert!(msg.contains("d023d231859c"), "{msg}");
    assert!(!msg.contains('\n'), "one line: {msg}");
}

#[test]
fn case_e02_hostile_tar_members() {
    let Some((image, exp)) = case("E02") else {
        return;
    };
    let loaded = load(
        &format!("oci-dir:{}", image.display()),
        &wants,
        &LoadOptions::default(),
    )
    .expect("hostile names are warnings, not errors");
    assert!(
        loaded.warnings.iter().any(|w| w.contains("etc/evil")),
        "{:?}",
        loaded.warnings
    );
    for p in exp["must_not_exist_after_run"]
        .as_array()
        .expect("must_not_exist_after_run")
    {
        let p = p.as_str().expect("path");
        assert!(
            std::fs::symlink_metadata(p).is_err(),
            "{p} exists on the host"
        );
    }
    let fs = &loaded.fs;
    // Normalised inside the root.
    assert!(fs.exists("etc/evil"));
    assert!(fs.exists("abs/path"));
    assert!(fs.exists("b"));
    assert!(
        fs.exists("tmp/sbom-gen-e02-pax-escape"),
        "PAX path honoured"
    );
    assert!(
        !fs.exists("pax-escape"),
        "the ustar name is overridden by PAX"
    );
    let mut found: Vec<(String, String)> = fs
        .files_matching(|p| p.ends_with("/METADATA"))
        .iter()
        .filter_map(|f| meta(fs, f.path))
        .collect();
    found.sort();
    let mut want: Vec<(String, String)> = exp["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_string(),
                c["version"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    want.sort();
    // The 107-character PAX name gives the opentelemetry package its METADATA back.
    let found_norm: Vec<(String, String)> = found
        .iter()
        .map(|(n, v)| (n.to_lowercase().replace('_', "-"), v.clone()))
        .collect();
    assert_eq!(found_norm, want);
}

#[test]
fn case_d03_links_stay_in_root() {
    let Some((image, exp)) = case("D03") else {
        return;
    };
    let canary = exp
        .pointer("/host_canary/path")
        .and_then(Value::as_str)
        .expect("canary");
    let content = exp
        .pointer("/host_canary/content")
        .and_then(Value::as_str)
        .expect("content");
    let canary = PathBuf::from(canary);
    let created = !canary.exists();
    if created {
        if let Some(dir) = canary.parent() {
            std::fs::create_dir_all(dir).expect("canary dir");
        }
        std::fs::write(&canary, content).expect("canary");
    }
    let result = load(
        &format!("oci-dir:{}", image.display()),
        &wants,
        &LoadOptions::default(),
    );
    if created {
        let _ = std::fs::remove_file(&canary);
        if let Some(dir) = canary.parent() {
            let _ = std::fs::remove_dir(dir);
        }
    }
    let loaded = result.expect("D03 loads");
    let fs = &loaded.fs;
    let dp = "usr/lib/python3/dist-packages";
    // os-release: absolute link resolved from the image root (Debian 11 text, not the host's).
    let osr = fs.read("etc/os-release").expect("os-release");
    assert_eq!(osr.real_path, "usr/lib/os-release");
    assert!(String::from_utf8_lossy(osr.data).contains("VERSION_ID=\"11\""));
    assert!(fs.resolve("etc/lsb-release").is_none(), "self loop");
    // Good packages through links inside the root.
    assert_eq!(
        meta(fs, &format!("{dp}/six-1.16.0.dist-info/METADATA")),
        Some(("six".into(), "1.16.0".into()))
    );
    assert_eq!(
        meta(fs, &format!("{dp}/certifi-2020.6.20.dist-info/METADATA")),
        Some(("certifi".into(), "2020.6.20".into()))
    );
    // Links that leave the root or loop read nothing.
    for bad in ["hostleak-1.0", "relleak-1.0", "shadowleak-1.0", "loop-1.0"] {
        let p = format!("{dp}/{bad}.dist-info/METADATA");
        assert!(fs.exists(&p), "{p} is in the image as a link");
        assert!(fs.read(&p).is_none(), "{p} must not read");
    }
    // passwdleak climbs above '/': clamped, it is the image's own etc/passwd.
    let pw_path = format!("{dp}/passwdleak-1.0.dist-info/METADATA");
    let pw = fs.read(&pw_path).expect("image passwd");
    assert_eq!(pw.real_path, "etc/passwd");
    assert!(String::from_utf8_lossy(pw.data).contains("app:x:1000:1000::/home/app:/bin/sh"));
    // Directory loops end.
    assert!(fs
        .resolve(&format!(
            "{dp}/selfdir/selfdir/six-1.16.0.dist-info/METADATA"
        ))
        .is_some());
    let all: Vec<_> = fs.files_matching(|p| p.ends_with("/METADATA"));
    assert!(all
        .iter()
        .all(|f| !String::from_utf8_lossy(f.data).contains("host-canary-d03")));
}

#[test]
fn case_d05_whiteouts_opaque() {
    let Some((image, exp)) = case("D05") else {
        return;
    };
    let loaded = load(
        &format!("oci-dir:{}", image.display()),
        &wants,
        &LoadOptions::default(),
    )
    .expect("D05 loads");
    let fs = &loaded.fs;
    let mut found: Vec<(String, String)> = fs
        .files_matching(|p| p.ends_with("/METADATA") || p.ends_with("/PKG-INFO"))
        .iter()
        .filter_map(|f| meta(fs, f.path))
        .collect();
    found.sort();
    let mut want: Vec<(String, String)> = exp["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["type"] == "pypi")
        .map(|c| {
            (
                c["name"].as_str().unwrap_or("").to_string(),
                c["version"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    want.sort();
    assert_eq!(found, want);
    let sp = "usr/local/lib/python3.11/site-packages";
    assert_eq!(
        fs.entry(&format!("{sp}/pip-24.0.dist-info/METADATA"))
            .map(|e| e.layer),
        Some(2)
    );
    assert!(fs.exists(&format!("{sp}/pip/__init__.py")));
    assert!(!fs.exists(&format!("{sp}/setuptools-65.5.0.dist-info")));
    assert_eq!(
        fs.entry("usr/lib/python3/dist-packages/chardet-5.1.0.egg-info/PKG-INFO")
            .map(|e| e.layer),
        Some(3),
        "re-added in layer 3"
    );
    let status = fs.read("var/lib/dpkg/status").expect("status");
    assert_eq!(status.layer, 3);
    let text = String::from_utf8_lossy(status.data);
    for c in exp["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter(|c| c["type"] == "deb")
    {
        let name = c["name"].as_str().expect("name");
        assert!(
            text.contains(&format!("Package: {name}\n")),
            "{name} in status"
        );
    }
    for m in exp["must_not"]
        .as_array()
        .expect("must_not")
        .iter()
        .filter(|c| c["type"] == "deb")
    {
        let name = m["name"].as_str().expect("name");
        assert!(
            !text.contains(&format!("Package: {name}\n")),
            "{name} removed"
        );
    }
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}
