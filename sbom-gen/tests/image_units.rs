//! Loader behaviour on small images built by the tests themselves: compression by magic bytes,
//! corrupt and truncated streams, digest checks, hard links, docker archives whose layer member
//! is a link, whiteouts, budgets, `dir:` sources and SOURCE detection.

mod common;

use std::io::Write;
use std::path::Path;

use sbom_gen::fs::EntryKind;
use sbom_gen::image::{load, Limits, LoadOptions, LoadedImage};
use sbom_gen::GenError;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

fn wants(path: &str, _size: u64) -> bool {
    path.ends_with("/METADATA") || path == "etc/os-release" || path.ends_with(".wanted")
}

use common::tarb::TarB;

#[derive(Clone, Copy)]
enum Comp {
    Plain,
    Gzip,
    Zstd,
}

fn compress(tar: &[u8], c: Comp) -> Vec<u8> {
    match c {
        Comp::Plain => tar.to_vec(),
        Comp::Gzip => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            e.write_all(tar).expect("gzip");
            e.finish().expect("gzip")
        }
        Comp::Zstd => zstd::encode_all(tar, 3).expect("zstd"),
    }
}

/// One layer of a test image: the stored blob, the uncompressed tar, and a (possibly wrong)
/// media type.
struct Layer {
    blob: Vec<u8>,
    diff_id: String,
    media: &'static str,
}

fn layer(tar: Vec<u8>, c: Comp) -> Layer {
    Layer {
        blob: compress(&tar, c),
        diff_id: sha(&tar),
        media: "application/vnd.oci.image.layer.v1.tar+gzip",
    }
}

fn config_for(layers: &[Layer]) -> Value {
    let mut history = vec![json!({"created_by": "ENV A=b", "empty_layer": true})];
    for i in 0..layers.len() {
        history.push(json!({"created_by": format!("step {}", i + 1)}));
    }
    json!({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "rootfs": {"type": "layers", "diff_ids": layers.iter().map(|l| l.diff_id.clone()).collect::<Vec<_>>()},
        "history": history,
    })
}

fn put_blob(dir: &Path, bytes: &[u8]) -> String {
    let d = sha(bytes);
    let p = dir
        .join("blobs/sha256")
        .join(d.trim_start_matches("sha256:"));
    std::fs::create_dir_all(p.parent().expect("parent")).expect("blobs dir");
    std::fs::write(p, bytes).expect("blob");
    d
}

/// Write an OCI layout at `dir`; returns the layer digests.
fn write_layout(dir: &Path, layers: &[Layer], config: &Value) -> Vec<String> {
    std::fs::create_dir_all(dir).expect("layout dir");
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#)
        .expect("oci-layout");
    let cfg = serde_json::to_vec(config).expect("config");
    let cfg_digest = put_blob(dir, &cfg);
    let mut descs = Vec::new();
    let mut digests = Vec::new();
    for l in layers {
        let d = put_blob(dir, &l.blob);
        descs.push(json!({"mediaType": l.media, "digest": d, "size": l.blob.len()}));
        digests.push(d);
    }
    let manifest = json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg.len()},
        "layers": descs,
    });
    let m = serde_json::to_vec(&manifest).expect("manifest");
    let md = put_blob(dir, &m);
    let index = json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": m.len(),
        "annotations": {"org.opencontainers.image.ref.name": "test"},
        "platform": {"architecture": "amd64", "os": "linux"}}]});
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&index).expect("index"),
    )
    .expect("index.json");
    digests
}

fn load_dir(dir: &Path) -> Result<LoadedImage, GenError> {
    load(
        &format!("oci-dir:{}", dir.display()),
        &wants,
        &LoadOptions::default(),
    )
}

fn base_tar() -> Vec<u8> {
    TarB::new()
        .dir("etc/")
        .file("usr/lib/os-release", b"ID=debian\nVERSION_ID=\"12\"\n")
        .symlink("etc/os-release", "../usr/lib/os-release")
        .file("sp/a-1.0.dist-info/METADATA", b"Name: a\nVersion: 1.0\n")
        .file("big/blob.bin", &[7u8; 4096])
        .done()
}

#[test]
fn plain_gzip_zstd_give_the_same_view_whatever_the_media_type() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut views = Vec::new();
    for (i, c) in [Comp::Plain, Comp::Gzip, Comp::Zstd]
        .into_iter()
        .enumerate()
    {
        let dir = tmp.path().join(format!("l{i}"));
        // The media type always says gzip: only the magic bytes count.
        let layers = vec![layer(base_tar(), c)];
        write_layout(&dir, &layers, &config_for(&layers));
        let img = load_dir(&dir).expect("loads");
        let osr = img.fs.read("etc/os-release").expect("os-release via link");
        assert_eq!(osr.data, b"ID=debian\nVERSION_ID=\"12\"\n");
        assert_eq!(
            img.source.layers[0].created_by.as_deref(),
            Some("step 1"),
            "empty_layer skipped"
        );
        views.push(
            img.fs
                .entries()
                .map(|(p, e)| (p.to_string(), e.clone()))
                .collect::<Vec<_>>(),
        );
    }
    assert!(views[0] == views[1] && views[1] == views[2]);
    assert_eq!(
        sbom_gen::image::Compression::sniff(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
        sbom_gen::image::Compression::Zstd
    );
}

fn expect_layer_error(r: Result<LoadedImage, GenError>, index: usize, digest: &str, needle: &str) {
    match r {
        Err(GenError::Layer {
            index: i,
            digest: d,
            message,
            ..
        }) => {
            assert_eq!(i, index, "{message}");
            assert_eq!(d, digest, "{message}");
            assert!(
                message.contains(needle),
                "{message:?} should mention {needle:?}"
            );
        }
        Err(e) => panic!("expected a layer error, got {e}"),
        Ok(_) => panic!("expected a layer error, the image loaded"),
    }
}

#[test]
fn corrupt_zstd_is_a_layer_error_naming_the_blob() {
    let tmp = tempfile::tempdir().expect("tmp");
    let good = layer(base_tar(), Comp::Gzip);
    let mut bad = layer(
        TarB::new()
            .file("x/y.txt", &[b'z'; 20000])
            .file("x/w.txt", b"w")
            .done(),
        Comp::Zstd,
    );
    let mid = bad.blob.len() / 2;
    for b in bad.blob.iter_mut().skip(mid).take(8) {
        *b ^= 0x5a;
    }
    let layers = vec![good, bad];
    let digests = write_layout(tmp.path(), &layers, &config_for(&layers));
    expect_layer_error(load_dir(tmp.path()), 2, &digests[1], "zstd");
}

#[test]
fn truncated_zstd_and_gzip_are_layer_errors() {
    for c in [Comp::Zstd, Comp::Gzip] {
        let tmp = tempfile::tempdir().expect("tmp");
        let data: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let mut l = layer(TarB::new().file("x/y.bin", &data).done(), c);
        l.blob.truncate(l.blob.len() / 2);
        let layers = vec![l];
        // The blob digest is that of the truncated bytes: only decompression can tell.
        let digests = write_layout(tmp.path(), &layers, &config_for(&layers));
        expect_layer_error(
            load_dir(tmp.path()),
            1,
            &digests[0],
            "cannot be read to its end",
        );
    }
}

#[test]
fn digest_mismatches_are_layer_errors() {
    // diff_id in the config does not match the uncompressed stream.
    let tmp = tempfile::tempdir().expect("tmp");
    let layers = vec![layer(base_tar(), Comp::Gzip)];
    let mut cfg = config_for(&layers);
    cfg["rootfs"]["diff_ids"][0] = json!(sha(b"something else"));
    let digests = write_layout(tmp.path(), &layers, &cfg);
    expect_layer_error(load_dir(tmp.path()), 1, &digests[0], "diff_id mismatch");

    // The blob's bytes were changed after the descriptor was written.
    let tmp = tempfile::tempdir().expect("tmp");
    let layers = vec![layer(base_tar(), Comp::Plain)];
    let digests = write_layout(tmp.path(), &layers, &config_for(&layers));
    let p = tmp
        .path()
        .join("blobs/sha256")
        .join(digests[0].trim_start_matches("sha256:"));
    let mut bytes = std::fs::read(&p).expect("blob");
    // Change a byte of file data (not a header): the tar still parses.
    let pos = bytes
        .windows(9)
        .position(|w| w == b"ID=debian")
        .expect("data");
    bytes[pos] = b'J';
    std::fs::write(&p, bytes).expect("rewrite");
    expect_layer_error(load_dir(tmp.path()), 1, &digests[0], "blob digest mismatch");
}

#[test]
fn hard_links_get_the_target_contents() {
    let tmp = tempfile::tempdir().expect("tmp");
    let l1 = TarB::new()
        .file("usr/share/real.txt", b"Name: hl\nVersion: 2\n")
        .done();
    let l2 = TarB::new()
        // Target in an earlier layer, not wanted by its own path: fetched afterwards.
        .hardlink("sp/hl-2.dist-info/METADATA", "usr/share/real.txt")
        // Target wanted and in the same layer: contents shared at once.
        .file("sp/same.wanted", b"same layer")
        .hardlink("sp/same-1.dist-info/METADATA", "sp/same.wanted")
        .done();
    let layers = vec![layer(l1, Comp::Gzip), layer(l2, Comp::Plain)];
    write_layout(tmp.path(), &layers, &config_for(&layers));
    let img = load_dir(tmp.path()).expect("loads");
    let f = img
        .fs
        .read("sp/hl-2.dist-info/METADATA")
        .expect("hard link read");
    assert_eq!(f.data, b"Name: hl\nVersion: 2\n");
    assert_eq!(f.layer, 2, "the link belongs to the layer that made it");
    assert!(
        img.fs.read("usr/share/real.txt").is_none(),
        "the unwanted target keeps no contents"
    );
    assert_eq!(
        img.fs.read("sp/same-1.dist-info/METADATA").map(|f| f.data),
        Some(&b"same layer"[..])
    );
}

#[test]
fn whiteouts_hide_lower_layers_only_and_opaque_applies_first() {
    let tmp = tempfile::tempdir().expect("tmp");
    let l1 = TarB::new()
        .file("sp/old-1.dist-info/METADATA", b"old")
        .file("sp/keep-1.dist-info/METADATA", b"keep")
        .file("op/lower.wanted", b"lower")
        .file("op/sub/deep.wanted", b"deep")
        .done();
    let l2 = TarB::new()
        .file("sp/old-1.dist-info/METADATA", b"new in the same layer")
        .file("sp/.wh.old-1.dist-info", b"")
        .file("op/sub/mine.wanted", b"mine")
        .file("op/.wh..wh..opq", b"")
        .done();
    let layers = vec![layer(l1, Comp::Gzip), layer(l2, Comp::Gzip)];
    write_layout(tmp.path(), &layers, &config_for(&layers));
    let img = load_dir(tmp.path()).expect("loads");
    let fs = &img.fs;
    assert_eq!(
        fs.read("sp/old-1.dist-info/METADATA").map(|f| f.data),
        Some(&b"new in the same layer"[..]),
        "a whiteout does not hide its own layer's files"
    );
    assert!(fs.read("sp/keep-1.dist-info/METADATA").is_some());
    assert!(!fs.exists("op/lower.wanted"));
    assert!(!fs.exists("op/sub/deep.wanted"));
    assert_eq!(
        fs.read("op/sub/mine.wanted").map(|f| f.data),
        Some(&b"mine"[..]),
        "opaque marker last in the tar"
    );
    assert!(
        matches!(fs.entry("op/sub").map(|e| &e.kind), Some(EntryKind::Dir)),
        "its folder stays"
    );
    assert!(!fs.entries().any(|(p, _)| p.contains(".wh.")));
}

#[test]
fn docker_archive_with_linked_layer_member_and_manifest_last() {
    let tmp = tempfile::tempdir().expect("tmp");
    let l1 = base_tar();
    let l2 = TarB::new()
        .file("sp/b-2.dist-info/METADATA", b"Name: b\n")
        .done();
    let layers = vec![
        layer(l1.clone(), Comp::Plain),
        layer(l2.clone(), Comp::Plain),
    ];
    let cfg = serde_json::to_vec(&config_for(&layers)).expect("config");
    let cfg_name = format!("{}.json", sha(&cfg).trim_start_matches("sha256:"));
    let h1 = sha(&l1).trim_start_matches("sha256:").to_string();
    let mut outer = TarB::new()
        .file(&format!("{h1}.tar"), &l1)
        .symlink("aaaa/layer.tar", &format!("../{h1}.tar"))
        .file("bbbb/layer.tar", &l2)
        .hardlink("cccc/layer.tar", "bbbb/layer.tar")
        .file(&cfg_name, &cfg);
    let manifest = json!([{"Config": cfg_name, "RepoTags": ["demo:1"], "Layers": ["aaaa/layer.tar", "cccc/layer.tar"]}]);
    outer = outer.file(
        "manifest.json",
        &serde_json::to_vec(&manifest).expect("manifest"),
    );
    let path = tmp.path().join("img.tar");
    std::fs::write(&path, outer.done()).expect("archive");
    // A bare path: detected as a docker archive by its manifest.json.
    let img = load(&path.display().to_string(), &wants, &LoadOptions::default()).expect("loads");
    assert_eq!(img.source.scheme, "docker-archive");
    assert_eq!(img.source.name, "demo:1");
    assert_eq!(img.source.config_digest, Some(sha(&cfg)));
    assert_eq!(img.source.layers.len(), 2);
    assert_eq!(img.source.layers[1].diff_id, sha(&l2));
    assert_eq!(img.source.layers[1].created_by.as_deref(), Some("step 2"));
    assert_eq!(
        img.fs.read("sp/b-2.dist-info/METADATA").map(|f| f.layer),
        Some(2)
    );
    assert!(img.fs.read("etc/os-release").is_some());
}

#[test]
fn budgets_are_kept() {
    let tmp = tempfile::tempdir().expect("tmp");
    let layers = vec![layer(
        TarB::new()
            .file("a/big.wanted", &[1u8; 5000])
            .file("a/small.wanted", b"ok")
            .done(),
        Comp::Gzip,
    )];
    write_layout(tmp.path(), &layers, &config_for(&layers));
    let spec = format!("oci-dir:{}", tmp.path().display());
    let opts = LoadOptions {
        limits: Limits {
            max_file_bytes: 1000,
            ..Limits::default()
        },
        ..Default::default()
    };
    let img = load(&spec, &wants, &opts).expect("a large file is a warning");
    assert!(img.fs.exists("a/big.wanted") && img.fs.read("a/big.wanted").is_none());
    assert!(img.fs.read("a/small.wanted").is_some());
    assert!(
        img.warnings.iter().any(|w| w.contains("a/big.wanted")),
        "{:?}",
        img.warnings
    );

    let opts = LoadOptions {
        limits: Limits {
            max_entries_per_layer: 1,
            ..Limits::default()
        },
        ..Default::default()
    };
    assert!(matches!(
        load(&spec, &wants, &opts),
        Err(GenError::Limit { .. })
    ));
    let opts = LoadOptions {
        limits: Limits {
            max_layer_bytes: 2048,
            ..Limits::default()
        },
        ..Default::default()
    };
    assert!(matches!(
        load(&spec, &wants, &opts),
        Err(GenError::Limit { .. })
    ));
}

#[test]
fn layout_digests_that_would_leave_the_folder_are_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let layers = vec![layer(base_tar(), Comp::Gzip)];
    write_layout(tmp.path(), &layers, &config_for(&layers));
    let index = json!({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:../../../../etc/passwd", "size": 1}]});
    std::fs::write(
        tmp.path().join("index.json"),
        serde_json::to_vec(&index).expect("index"),
    )
    .expect("write");
    match load_dir(tmp.path()) {
        Err(GenError::Invalid { place, .. }) => assert!(place.contains("/manifests/0"), "{place}"),
        other => panic!("expected Invalid, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn dir_source_never_follows_host_links() {
    let tmp = tempfile::tempdir().expect("tmp");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    std::fs::write(outside.join("METADATA"), "Name: host-canary\n").expect("canary");
    let root = tmp.path().join("root");
    std::fs::create_dir_all(root.join("usr/lib")).expect("root");
    std::fs::create_dir_all(root.join("etc")).expect("etc");
    std::fs::create_dir_all(root.join("sp/leak-1.dist-info")).expect("sp");
    std::fs::write(root.join("usr/lib/os-release"), "ID=alpine\n").expect("os-release");
    std::os::unix::fs::symlink("../usr/lib/os-release", root.join("etc/os-release")).expect("link");
    std::os::unix::fs::symlink(
        outside.join("METADATA"),
        root.join("sp/leak-1.dist-info/METADATA"),
    )
    .expect("abs");
    std::os::unix::fs::symlink(&outside, root.join("sp/outdir")).expect("dir link");
    let img = load(
        &format!("dir:{}", root.display()),
        &wants,
        &LoadOptions::default(),
    )
    .expect("dir loads");
    assert_eq!(img.source.scheme, "dir");
    assert_eq!(img.source.layers.len(), 1);
    assert_eq!(
        img.fs.read("etc/os-release").map(|f| f.data),
        Some(&b"ID=alpine\n"[..])
    );
    assert!(
        img.fs.read("sp/leak-1.dist-info/METADATA").is_none(),
        "host file read through a link"
    );
    assert!(img.fs.read("sp/outdir/METADATA").is_none());
    assert!(
        !img.fs.exists("sp/outdir/METADATA"),
        "host folder link not walked"
    );
}

#[test]
fn source_detection() {
    let o = LoadOptions::default();
    assert!(matches!(
        load("./no/such/image.tar", &wants, &o),
        Err(GenError::NotFound { .. })
    ));
    assert!(matches!(
        load("oci-dir:/no/such/layout", &wants, &o),
        Err(GenError::NotFound { .. })
    ));
    assert!(matches!(
        load("registry:docker.io/library/debian:12", &wants, &o),
        Err(GenError::Usage(_))
    ));
    assert!(matches!(
        load("docker:debian:12", &wants, &o),
        Err(GenError::Usage(_))
    ));
    assert!(matches!(
        load("debian:12", &wants, &o),
        Err(GenError::Usage(_))
    ));
    let tmp = tempfile::tempdir().expect("tmp");
    let junk = tmp.path().join("junk.tar");
    std::fs::write(&junk, vec![b'x'; 2000]).expect("junk");
    match load(&junk.display().to_string(), &wants, &o) {
        Err(e @ GenError::Invalid { .. }) => assert!(!e.to_string().contains('\n')),
        other => panic!("expected Invalid, got {:?}", other.map(|_| ())),
    }
    // An OCI layout folder is detected by its oci-layout file; another folder is a rootfs.
    let layers = vec![layer(base_tar(), Comp::Gzip)];
    let lay = tmp.path().join("layout");
    write_layout(&lay, &layers, &config_for(&layers));
    assert_eq!(
        load(&lay.display().to_string(), &wants, &o)
            .expect("layout")
            .source
            .scheme,
        "oci-dir"
    );
    assert_eq!(
        load(&tmp.path().display().to_string(), &wants, &o)
            .expect("rootfs")
            .source
            .scheme,
        "dir"
    );
}

/// Write a manifest for `layers` into `dir`'s blobs; returns (digest, size).
fn put_manifest(dir: &Path, layers: &[Layer]) -> (String, usize) {
    let cfg = serde_json::to_vec(&config_for(layers)).expect("config");
    let cfg_digest = put_blob(dir, &cfg);
    let descs: Vec<Value> = layers
        .iter()
        .map(|l| json!({"mediaType": l.media, "digest": put_blob(dir, &l.blob), "size": l.blob.len()}))
        .collect();
    let m = serde_json::to_vec(&json!({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg.len()},
        "layers": descs,
    }))
    .expect("manifest");
    (put_blob(dir, &m), m.len())
}

#[test]
fn nested_index_platform_choice() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path();
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#)
        .expect("oci-layout");
    let img = |arch: &str| {
        vec![layer(
            TarB::new().file("etc/arch.wanted", arch.as_bytes()).done(),
            Comp::Gzip,
        )]
    };
    let (amd, amd_len) = put_manifest(dir, &img("amd64"));
    let (arm, arm_len) = put_manifest(dir, &img("arm64"));
    let (att, att_len) = put_manifest(dir, &img("attestation"));
    let m = "application/vnd.oci.image.manifest.v1+json";
    let nested = serde_json::to_vec(&json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {"mediaType": m, "digest": att, "size": att_len, "platform": {"os": "unknown", "architecture": "unknown"}},
            {"mediaType": m, "digest": arm, "size": arm_len, "platform": {"os": "linux", "architecture": "arm64", "variant": "v8"}},
            {"mediaType": m, "digest": amd, "size": amd_len, "platform": {"os": "linux", "architecture": "amd64"}},
        ]}))
    .expect("nested");
    let nd = put_blob(dir, &nested);
    let index = json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
        "digest": nd, "size": nested.len(), "annotations": {"org.opencontainers.image.ref.name": "multi"}}]});
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&index).expect("index"),
    )
    .expect("index.json");
    let spec = format!("oci-dir:{}", dir.display());
    let arch = |platform: Option<&str>| -> Result<String, GenError> {
        let o = LoadOptions {
            platform: platform.map(str::to_string),
            ..Default::default()
        };
        let img = load(&spec, &wants, &o)?;
        assert_eq!(img.source.name, "multi");
        Ok(img
            .fs
            .read("etc/arch.wanted")
            .map(|f| String::from_utf8_lossy(f.data).into_owned())
            .unwrap_or_default())
    };
    assert_eq!(arch(Some("linux/arm64")).expect("arm64"), "arm64");
    assert_eq!(arch(Some("linux/arm64/v8")).expect("arm64/v8"), "arm64");
    assert_eq!(arch(Some("linux/amd64")).expect("amd64"), "amd64");
    // The default is the host's platform, else the first real image (never the attestation).
    let default = arch(None).expect("default");
    if std::env::consts::ARCH == "aarch64" {
        assert_eq!(default, "arm64");
    } else {
        assert_eq!(
            default,
            if std::env::consts::ARCH == "x86_64" {
                "amd64"
            } else {
                "arm64"
            }
        );
    }
    match arch(Some("linux/s390x")) {
        Err(GenError::Usage(m)) => assert!(
            m.contains("linux/arm64/v8") && m.contains("linux/amd64"),
            "{m}"
        ),
        other => panic!("expected a usage error, got {other:?}"),
    }
    assert!(matches!(arch(Some("amd64")), Err(GenError::Usage(_))));
}
