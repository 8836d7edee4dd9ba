//! The shared test images (`shared/testdata/images/`): the docker archive, the OCI archive and
//! the OCI layout (the OCI archive unpacked here) of one image give the same squashed view, and
//! it matches `expected.json` (layers, diff_ids, created_by, whiteouts, opaque folders).

use std::path::{Path, PathBuf};

use sbom_gen::fs::{Entry, FileSystem};
use sbom_gen::image::{load, LoadOptions, LoadedImage};
use sbom_model::testing::shared_path;
use serde_json::Value;

fn wants(path: &str, _size: u64) -> bool {
    path == "var/lib/dpkg/status"
        || path == "etc/os-release"
        || path.ends_with("/METADATA")
        || path.ends_with("/PKG-INFO")
        || path.ends_with(".json")
        || path.starts_with("app/tmp/")
        || path == "app/.env"
        || path.starts_with("var/lib/dpkg/status.d/")
}

fn expected(image: &str) -> Option<Value> {
    let p = shared_path("testdata/images/expected.json")?;
    let v: Value = serde_json::from_slice(&std::fs::read(p).ok()?).ok()?;
    v.pointer(&format!("/images/{image}")).cloned()
}

fn unpack(tar_path: &Path, into: &Path) {
    let f = std::fs::File::open(tar_path).expect("open oci tar");
    let mut a = tar::Archive::new(f);
    a.unpack(into).expect("unpack oci tar");
}

fn view(fs: &FileSystem) -> Vec<(String, Entry)> {
    fs.entries()
        .map(|(p, e)| (p.to_string(), e.clone()))
        .collect()
}

struct Forms {
    docker: LoadedImage,
    oci: LoadedImage,
    layout: LoadedImage,
    _tmp: tempfile::TempDir,
}

fn load_forms(name: &str) -> Option<Forms> {
    let dir: PathBuf = shared_path("testdata/images")?;
    let opts = LoadOptions::default();
    let docker_tar = dir.join(format!("{name}.docker.tar"));
    let oci_tar = dir.join(format!("{name}.oci.tar"));
    let docker = load(
        &format!("docker-archive:{}", docker_tar.display()),
        &wants,
        &opts,
    )
    .expect("docker archive");
    // A bare path is detected by content.
    let oci = load(&oci_tar.display().to_string(), &wants, &opts).expect("oci archive");
    let tmp = tempfile::tempdir().expect("tempdir");
    unpack(&oci_tar, tmp.path());
    let layout = load(&tmp.path().display().to_string(), &wants, &opts).expect("oci layout");
    Some(Forms {
        docker,
        oci,
        layout,
        _tmp: tmp,
    })
}

fn check_common(name: &str, f: &Forms) -> Value {
    let exp = expected(name).expect("expected.json entry");
    assert_eq!(f.docker.source.scheme, "docker-archive");
    assert_eq!(f.oci.source.scheme, "oci-archive");
    assert_eq!(f.layout.source.scheme, "oci-dir");
    let docker_view = view(&f.docker.fs);
    assert!(!docker_view.is_empty());
    assert!(
        docker_view == view(&f.oci.fs),
        "docker archive and OCI archive views differ"
    );
    assert!(
        docker_view == view(&f.layout.fs),
        "docker archive and OCI layout views differ"
    );
    let want_layers = exp["layers"].as_array().expect("layers");
    for img in [&f.docker, &f.oci, &f.layout] {
        let s = &img.source;
        assert_eq!(s.layers.len(), want_layers.len());
        for (got, want) in s.layers.iter().zip(want_layers) {
            assert_eq!(Some(got.index as u64), want["index"].as_u64());
            assert_eq!(Some(got.diff_id.as_str()), want["diff_id"].as_str());
            assert_eq!(got.created_by.as_deref(), want["created_by"].as_str());
        }
        assert_eq!(
            Some(s.config_digest.as_deref().unwrap_or("")),
            exp.pointer("/image/config_digest").and_then(Value::as_str)
        );
        assert_eq!(
            s.properties.get("architecture").map(String::as_str),
            Some("amd64")
        );
        assert_eq!(s.properties.get("os").map(String::as_str), Some("linux"));
        // Both test images were built with SOURCE_DATE_EPOCH=1700000000 (README.md).
        assert_eq!(s.created.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert_eq!(s.layers, img.fs.layers());
    }
    assert_eq!(
        Some(f.docker.source.name.as_str()),
        exp.pointer("/image/docker_repo_tags/0")
            .and_then(Value::as_str)
    );
    // The OCI index names the image twice: a bare tag (`org.opencontainers.image.ref.name`)
    // and the full reference (`io.containerd.image.name`); the full one names the source.
    assert_eq!(
        f.oci.source.properties.get("ref-name").map(String::as_str),
        exp.pointer("/image/oci_ref_name").and_then(Value::as_str)
    );
    let tag = exp
        .pointer("/image/docker_repo_tags/0")
        .and_then(Value::as_str)
        .unwrap_or("?");
    assert!(
        f.oci.source.name.ends_with(&format!("/{tag}")),
        "{} should be the full reference of {tag}",
        f.oci.source.name
    );
    exp
}

#[test]
fn debian_app_three_forms_agree() {
    let Some(f) = load_forms("debian-app") else {
        return;
    };
    let exp = check_common("debian-app", &f);
    let fs = &f.docker.fs;
    let status = fs.read("var/lib/dpkg/status").expect("status kept");
    assert_eq!(status.layer, 2, "layer 2 rewrote the status file");
    assert!(String::from_utf8_lossy(status.data).contains("Package: libssl3"));
    // Every PyPI package's metadata file is readable, in the layer expected.json names.
    for p in exp["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["type"] == "pypi")
    {
        let path = p["path"].as_str().expect("path");
        let r = fs
            .read(path)
            .unwrap_or_else(|| panic!("{path} not readable"));
        assert_eq!(Some(r.layer as u64), p["layer"].as_u64(), "{path}");
    }
    // Whited out in layer 3.
    for m in exp["must_not_report"].as_array().expect("must_not_report") {
        let path = m["path"].as_str().expect("path");
        assert!(!fs.exists(path), "{path} survived its whiteout");
        assert!(fs.read(path).is_none());
    }
    assert!(!fs.exists("usr/local/lib/python3.11/site-packages/urllib3"));
    assert!(!fs.exists("app/.env"), "app/.env was whited out");
    assert!(fs.exists("app/tmp/keep.txt"));
    assert_eq!(fs.entry("app/tmp/keep.txt").map(|e| e.layer), Some(3));
    assert!(
        !fs.exists("app/tmp/cache.txt"),
        "opaque folder hides layer 2's cache.txt"
    );
    assert!(
        !fs.entries().any(|(p, _)| p.contains(".wh.")),
        "whiteout markers are not files"
    );
    // etc/os-release is a relative link; its target was not wanted by path but is fetched.
    let osr = fs
        .read("etc/os-release")
        .expect("os-release through the link");
    assert_eq!(osr.real_path, "usr/lib/os-release");
    assert!(String::from_utf8_lossy(osr.data).contains("VERSION_CODENAME=bookworm"));
    // Files not wanted keep no contents.
    assert!(fs.exists("usr/local/bin/goapp"));
    assert!(fs.read("usr/local/bin/goapp").is_none());
    // node_modules package.json files were wanted (*.json).
    assert!(fs
        .read("app/node_modules/send/node_modules/ms/package.json")
        .is_some());
    assert!(f.docker.warnings.is_empty(), "{:?}", f.docker.warnings);
}

#[test]
fn distroless_like_three_forms_agree() {
    let Some(f) = load_forms("debian-slim-distroless-like") else {
        return;
    };
    check_common("debian-slim-distroless-like", &f);
    let fs = &f.oci.fs;
    let osr = fs.read("etc/os-release").expect("os-release");
    assert_eq!(osr.real_path, "etc/os-release", "a regular file here");
    assert!(String::from_utf8_lossy(osr.data).contains("PRETTY_NAME=\"Distroless\""));
    assert!(fs.read("var/lib/dpkg/status.d/tzdata").is_some());
    assert!(!fs.exists("var/lib/dpkg/status"));
    assert_eq!(fs.entry("app/server").map(|e| e.layer), Some(2));
}

#[test]
fn platform_that_is_not_in_the_index_is_an_error() {
    let Some(dir) = shared_path("testdata/images") else {
        return;
    };
    let spec = format!(
        "oci-archive:{}",
        dir.join("debian-slim-distroless-like.oci.tar").display()
    );
    let opts = LoadOptions {
        platform: Some("linux/s390x".into()),
        ..Default::default()
    };
    let err = load(&spec, &wants, &opts).expect_err("no s390x image");
    assert!(err.to_string().contains("linux/amd64"), "{err}");
    let opts = LoadOptions {
        platform: Some("linux/amd64".into()),
        ..Default::default()
    };
    assert!(load(&spec, &wants, &opts).is_ok());
}
