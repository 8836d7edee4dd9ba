//! Adversarial review of sbom-gen: hostile and broken inputs must end in `Ok` or `Err` — never
//! a panic, a hang, unbounded memory, a host file read, or a partial output file.
//!
//! Three parts: hand-crafted hostile images (huge sizes, gzip bombs, sparse members, deep paths,
//! long link targets and chains, whiteouts of the root, nested indexes, blob paths and docker
//! manifest members that try to leave the archive, `dir:` with a FIFO and a link loop, a FIFO
//! index.json, budgets on paths and kept contents, a failing second `-o` file); cataloging
//! findings of the review (npm lock entries that are not installed); and a bounded mutation run
//! (deterministic PRNG) over the handed OCI layouts (cases D01..E02) and the demo docker
//! archive. Inputs that could eat the machine run the real binary under `ulimit -v` and a
//! wall-clock timeout; the others call [`sbom_gen::scan`] in a thread with a timeout.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sbom_gen::image::{Limits, LoadOptions};
use sbom_gen::{scan, GenError, ScanOptions, ScanResult};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn sha(b: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(b)))
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).expect("gzip");
    e.finish().expect("gzip")
}

// ---------------------------------------------------------------------------------------------
// Building images
// ---------------------------------------------------------------------------------------------

use common::tarb::TarB;

const OS_RELEASE: &[u8] = b"ID=debian\nVERSION_ID=\"12\"\n";

fn base() -> TarB {
    TarB::new().file("etc/os-release", OS_RELEASE)
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

/// Write an OCI layout of these uncompressed layer tars (stored gzip-compressed).
fn write_layout(dir: &Path, tars: &[Vec<u8>]) {
    std::fs::create_dir_all(dir).expect("layout dir");
    std::fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).expect("layout");
    let diff_ids: Vec<String> = tars.iter().map(|t| sha(t)).collect();
    let cfg = serde_json::to_vec(&json!({
        "architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }))
    .expect("config");
    let cfg_digest = put_blob(dir, &cfg);
    let layers: Vec<Value> = tars
        .iter()
        .map(|t| {
            let blob = gzip(t);
            json!({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                   "digest": put_blob(dir, &blob), "size": blob.len()})
        })
        .collect();
    let manifest = serde_json::to_vec(&json!({
        "schemaVersion": 2,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": cfg_digest, "size": cfg.len()},
        "layers": layers,
    }))
    .expect("manifest");
    let md = put_blob(dir, &manifest);
    write_index(
        dir,
        &md,
        manifest.len(),
        "application/vnd.oci.image.manifest.v1+json",
    );
}

fn write_index(dir: &Path, digest: &str, size: usize, media: &str) {
    let index = json!({"schemaVersion": 2, "manifests": [
        {"mediaType": media, "digest": digest, "size": size}]});
    std::fs::write(
        dir.join("index.json"),
        serde_json::to_vec(&index).expect("index"),
    )
    .expect("index.json");
}

/// A docker archive: `manifest.json` naming `config.json` and `layers` (member names as given;
/// the members themselves are `members`).
fn write_docker(path: &Path, manifest: &Value, members: &[(&str, Vec<u8>)]) {
    let mut t = TarB::new();
    for (name, data) in members {
        t = t.file(name, data);
    }
    let t = t.file(
        "manifest.json",
        &serde_json::to_vec(manifest).expect("manifest"),
    );
    std::fs::write(path, t.done()).expect("archive");
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

fn small_limits() -> ScanOptions {
    ScanOptions {
        load: LoadOptions {
            platform: None,
            limits: Limits {
                max_file_bytes: 1 << 20,
                max_layer_bytes: 64 << 20,
                max_entries_per_layer: 100_000,
                ..Limits::default()
            },
        },
        ..Default::default()
    }
}

/// Run `scan` in a thread; a panic or more than `secs` seconds fails the test.
fn scan_bounded(spec: &str, opts: &ScanOptions, secs: u64) -> Result<ScanResult, GenError> {
    let (tx, rx) = mpsc::channel();
    let spec_owned = spec.to_string();
    let opts = opts.clone();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(|| scan(&spec_owned, &opts));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(Duration::from_secs(secs)) {
        Ok(Ok(r)) => r,
        Ok(Err(_)) => panic!("{spec}: scan panicked"),
        Err(_) => panic!("{spec}: scan did not finish within {secs} s"),
    }
}

/// Run the real binary on `spec` under a virtual-memory cap (KiB) and a timeout; returns the
/// exit code and stderr. A signal (OOM abort), a hang or an exit code other than 0/2 fails.
fn run_binary_bounded(spec: &str, out: &Path, secs: u64, mem_kib: u64) -> (i32, String) {
    let bin = env!("CARGO_BIN_EXE_sbom-gen");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {mem_kib}; exec \"$0\" \"$@\""))
        .arg(bin)
        .arg(spec)
        .arg("-q")
        .arg("-o")
        .arg(format!("cyclonedx-json={}", out.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut s, &mut err);
            }
            let code = status
                .code()
                .unwrap_or_else(|| panic!("{spec}: killed by a signal ({status}); stderr: {err}"));
            assert!(code == 0 || code == 2, "{spec}: exit {code}; {err}");
            if code == 2 {
                assert!(!out.exists(), "{spec}: a failed run left {}", out.display());
            }
            return (code, err);
        }
        if start.elapsed() > Duration::from_secs(secs) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{spec}: did not finish within {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tmp")
}

fn oci(dir: &Path) -> String {
    format!("oci-dir:{}", dir.display())
}

fn has_distro(r: &ScanResult) -> bool {
    r.inventory.distro.is_some()
}

// ---------------------------------------------------------------------------------------------
// Hand-crafted hostile inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn member_claiming_a_huge_size_is_a_layer_error() {
    let t = tmp();
    // 1 TiB claimed (base-256 size field), a few bytes present: the layer ends early.
    let mut h = TarB::header(tar::EntryType::Regular, 1 << 40);
    h.set_path("var/lib/dpkg/status").expect("path");
    h.set_cksum();
    let layer = base().raw(&h, b"Package: x\n").done();
    write_layout(t.path(), &[layer]);
    match scan_bounded(&oci(t.path()), &ScanOptions::default(), 10) {
        Err(GenError::Layer { index: 1, .. }) => {}
        other => panic!("expected a layer error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn gzip_bomb_ends_at_the_layer_budget() {
    let t = tmp();
    // 200 MiB of zeros in one member: ~200 KiB compressed.
    let big = vec![0u8; 200 << 20];
    let layer = base().file("zeros.bin", &big).done();
    drop(big);
    write_layout(t.path(), &[layer]);
    let opts = small_limits();
    match scan_bounded(&oci(t.path()), &opts, 20) {
        Err(e @ GenError::Limit { .. }) => {
            let m = e.to_string();
            assert!(m.contains("layer 1") && m.contains("bytes"), "{m}");
        }
        other => panic!("expected a budget error, got {:?}", other.map(|_| ())),
    }
}

/// A GNU sparse member whose holes claim `real_size` bytes while storing none.
fn sparse_header(path: &str, real_size: u64) -> tar::Header {
    fn base256(n: u64) -> [u8; 12] {
        let mut f = [0u8; 12];
        f[0] = 0x80;
        f[4..].copy_from_slice(&n.to_be_bytes());
        f
    }
    let mut h = TarB::header(tar::EntryType::GNUSparse, 0);
    h.set_path(path).expect("path");
    let g = h.as_gnu_mut().expect("gnu header");
    g.sparse[0].offset = base256(real_size);
    g.sparse[0].numbytes = *b"00000000000\0";
    g.realsize = base256(real_size);
    h.set_cksum();
    h
}

#[test]
fn sparse_member_with_huge_holes_does_not_hang() {
    let t = tmp();
    // 1 PiB of holes: reading them out would take days.
    let layer = base()
        .raw(&sparse_header("usr/share/holes.bin", 1 << 50), &[])
        .raw(&sparse_header("var/lib/dpkg/status", 1 << 50), &[])
        .done();
    write_layout(t.path(), &[layer]);
    let r = scan_bounded(&oci(t.path()), &ScanOptions::default(), 10);
    let r = r.expect("a sparse member is a file like any other");
    assert!(has_distro(&r));
}

#[test]
fn deeply_nested_member_names_stay_bounded() {
    let t = tmp();
    // Each member name is 40 KB deep ("a/a/a/…"); creating every parent folder as a separate
    // path would take ~400 MB per member.
    let deep = "a/".repeat(20_000);
    let mut b = base();
    for i in 0..20 {
        b = b.file(&format!("d{i}/{deep}x"), b"hi");
    }
    write_layout(t.path(), &[b.done()]);
    let out = t.path().join("out.json");
    let (code, err) = run_binary_bounded(&oci(t.path()), &out, 30, 1 << 20);
    assert_eq!(code, 0, "{err}");
    assert!(out.exists());
}

#[test]
fn many_deep_member_names_end_at_the_path_budget() {
    let t = tmp();
    // 200 names 4 KB deep (under PATH_MAX): each adds 2,000 parent folders, ~4 MB of paths,
    // from ~4.5 KB of tar; the whole layer compresses to a few KB.
    let deep = "a/".repeat(2_000);
    let mut b = base();
    for i in 0..200 {
        b = b.file(&format!("{i}/{deep}"), b"hi");
    }
    write_layout(t.path(), &[b.done()]);
    let mut opts = small_limits();
    opts.load.limits.max_path_bytes = 64 << 20;
    match scan_bounded(&oci(t.path()), &opts, 30) {
        Err(e @ GenError::Limit { .. }) => assert!(e.to_string().contains("paths"), "{e}"),
        other => panic!("expected a budget error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn kept_file_contents_end_at_the_kept_budget() {
    let t = tmp();
    // 40 wanted METADATA files of 900 KiB each (under the per-file budget): 36 MB kept from a
    // layer that compresses to a few hundred KB. Measured with the defaults before the budget:
    // a 6 MB image of 80 such 16 MiB files held 1.3 GB.
    let body = vec![b'a'; 900 << 10];
    let mut b = base();
    for i in 0..40 {
        let mut data = format!("Name: p{i}\nVersion: 1.0\n\n").into_bytes();
        data.extend_from_slice(&body);
        b = b.file(&format!("sp/p{i}.dist-info/METADATA"), &data);
    }
    write_layout(t.path(), &[b.done()]);
    let mut opts = small_limits();
    opts.load.limits.max_kept_bytes = 8 << 20;
    match scan_bounded(&oci(t.path()), &opts, 30) {
        Err(e @ GenError::Limit { .. }) => assert!(e.to_string().contains("contents"), "{e}"),
        other => panic!("expected a budget error, got {:?}", other.map(|_| ())),
    }
    opts.load.limits.max_kept_bytes = 64 << 20;
    let r = scan_bounded(&oci(t.path()), &opts, 30).expect("within the budget");
    assert_eq!(r.inventory.components.len(), 40);
}

#[test]
fn many_long_link_targets_do_not_hang() {
    let t = tmp();
    // A 600-deep folder, and 20 chains of 41 links whose targets (3 KB, under PATH_MAX) walk
    // down and back up the folder before naming the next link.
    let down = "a/".repeat(600);
    let up = "../".repeat(600);
    let mut b = base().file(&format!("{down}x"), b"hi");
    for i in 0..20 {
        for j in 0..41 {
            b = b.symlink(&format!("l{i}_{j}"), &format!("{down}{up}l{i}_{}", j + 1));
        }
    }
    write_layout(t.path(), &[b.done()]);
    let out = t.path().join("out.json");
    let (code, err) = run_binary_bounded(&oci(t.path()), &out, 30, 1 << 21);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn link_targets_longer_than_path_max_are_skipped() {
    let t = tmp();
    // Linux refuses such targets; kept, each would hold its (up to 1 MiB) target in memory.
    let long = "b/".repeat(300_000);
    let mut b = base();
    for i in 0..4 {
        b = b.symlink(&format!("l{i}"), &long);
    }
    write_layout(t.path(), &[b.done()]);
    let r = scan_bounded(&oci(t.path()), &ScanOptions::default(), 10).expect("loads");
    let skipped = r
        .warnings
        .iter()
        .filter(|w| w.contains("link target of 600000 bytes"))
        .count();
    assert_eq!(skipped, 4, "{:?}", r.warnings);
}

#[test]
fn link_chains_loops_and_hard_links_to_later_members() {
    let t = tmp();
    // etc/os-release -> c0 -> c1 -> ... -> c99 -> the file: more than 40 links, so no file.
    let mut b = TarB::new().file("real-os-release", OS_RELEASE);
    b = b.symlink("etc/os-release", "/c0");
    for i in 0..100 {
        let next = if i == 99 {
            "/real-os-release".to_string()
        } else {
            format!("/c{}", i + 1)
        };
        b = b.symlink(&format!("c{i}"), &next);
    }
    let b = b
        .symlink("self", "self")
        .symlink("usr/lib/os-release", "../../usr/lib/os-release")
        .hardlink("early", "late")
        .file("late", b"x")
        .hardlink("hl-self", "hl-self");
    write_layout(t.path(), &[b.done()]);
    let r = scan_bounded(&oci(t.path()), &ScanOptions::default(), 10).expect("loads");
    assert!(
        !has_distro(&r),
        "os-release is 101 links away: more than the 40 followed"
    );
}

#[test]
fn whiteouts_of_the_root_and_root_opaque_marker() {
    let t = tmp();
    let l1 = base().file("keep/me", b"x").done();
    // Names that look like a whiteout of `/` (or of `.`/`..`) must not wipe the image.
    let l2 = TarB::new()
        .file(".wh.", b"")
        .file(".wh..", b"")
        .file(".wh...", b"")
        .file("etc/.wh..", b"")
        .file("./.wh...", b"")
        .done();
    write_layout(t.path(), &[l1.clone(), l2.clone()]);
    let r = scan_bounded(&oci(t.path()), &ScanOptions::default(), 10).expect("loads");
    assert!(has_distro(&r), "a whiteout of '.' or '..' removed the root");

    // `.wh..wh..opq` at the root hides every lower entry; the layer's own files stay.
    let t2 = tmp();
    let l3 = TarB::new()
        .file(".wh..wh..opq", b"")
        .file("usr/lib/os-release", b"ID=alpine\nVERSION_ID=3.19.1\n")
        .done();
    write_layout(t2.path(), &[l1, l3]);
    let r = scan_bounded(&oci(t2.path()), &ScanOptions::default(), 10).expect("loads");
    let d = r.inventory.distro.expect("the upper layer's os-release");
    assert_eq!(d.id, "alpine");
}

#[test]
fn index_nested_100_deep_is_refused() {
    let t = tmp();
    write_layout(t.path(), &[base().done()]);
    let idx: Value =
        serde_json::from_slice(&std::fs::read(t.path().join("index.json")).expect("index"))
            .expect("json");
    let mut inner = serde_json::to_vec(&idx).expect("json");
    for _ in 0..100 {
        let d = put_blob(t.path(), &inner);
        let outer = json!({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                           "digest": d, "size": inner.len()}]});
        inner = serde_json::to_vec(&outer).expect("json");
    }
    std::fs::write(t.path().join("index.json"), &inner).expect("index");
    match scan_bounded(&oci(t.path()), &ScanOptions::default(), 10) {
        Err(GenError::Invalid { message, .. }) => assert!(message.contains("deep"), "{message}"),
        other => panic!("expected invalid, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn blob_paths_that_leave_the_layout_are_refused() {
    for digest in [
        "sha256/../../etc/passwd",
        "sha256:../../../../etc/passwd",
        "sha256:/etc/passwd",
        "../../etc/passwd",
    ] {
        let t = tmp();
        write_layout(t.path(), &[base().done()]);
        write_index(
            t.path(),
            digest,
            10,
            "application/vnd.oci.image.manifest.v1+json",
        );
        match scan_bounded(&oci(t.path()), &ScanOptions::default(), 10) {
            Err(GenError::Invalid { message, .. }) => {
                assert!(!message.contains("root:"), "{message}")
            }
            other => panic!("{digest}: expected invalid, got {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn docker_manifest_members_that_leave_the_archive_are_refused() {
    let t = tmp();
    let layer = base().done();
    let cfg = serde_json::to_vec(&json!({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(&layer)]}}))
    .expect("config");
    for (config, layer_name) in [
        ("config.json", "../../../../../../etc/passwd"),
        ("config.json", "/etc/passwd"),
        ("../../../../../../etc/passwd", "layer.tar"),
        ("/etc/hostname", "layer.tar"),
    ] {
        let archive = t.path().join("a.tar");
        let manifest = json!([{"Config": config, "RepoTags": ["x:1"], "Layers": [layer_name]}]);
        write_docker(
            &archive,
            &manifest,
            &[("config.json", cfg.clone()), ("layer.tar", layer.clone())],
        );
        let spec = format!("docker-archive:{}", archive.display());
        match scan_bounded(&spec, &ScanOptions::default(), 10) {
            Err(GenError::Invalid { place, .. }) => {
                assert!(place.contains("etc/"), "{config} {layer_name}: {place}")
            }
            other => panic!(
                "{config} {layer_name}: expected invalid, got {:?}",
                other.map(|_| ())
            ),
        }
    }
}

#[test]
fn dir_source_with_fifo_link_loop_and_unreadable_file() {
    let t = tmp();
    let root = t.path();
    std::fs::create_dir_all(root.join("etc")).expect("etc");
    std::fs::create_dir_all(root.join("var/lib/dpkg")).expect("dpkg");
    std::fs::write(root.join("usr-os-release"), OS_RELEASE).expect("os-release");
    std::os::unix::fs::symlink("../usr-os-release", root.join("etc/os-release")).expect("link");
    // A FIFO where a cataloger wants a file: opening it would block forever.
    let fifo = root.join("var/lib/dpkg/status");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("mkfifo unavailable; FIFO part skipped");
    }
    std::os::unix::fs::symlink("loop-b", root.join("loop-a")).expect("link");
    std::os::unix::fs::symlink("loop-a", root.join("loop-b")).expect("link");
    std::os::unix::fs::symlink("/var/lib/dpkg/status", root.join("var/lib/dpkg/status.d"))
        .expect("link");
    // An unreadable wanted file: a warning, not the end of the scan. As root the mode does not
    // stop the read, and that part checks nothing more.
    let locked = root.join("usr/lib/python3/dist-packages/x-1.dist-info/METADATA");
    std::fs::create_dir_all(locked.parent().expect("parent")).expect("mkdir");
    std::fs::write(&locked, b"Name: x\nVersion: 1\n").expect("write");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    let unreadable = std::fs::read(&locked).is_err();
    let r = scan_bounded(
        &format!("dir:{}", root.display()),
        &ScanOptions::default(),
        10,
    )
    .expect("loads");
    assert!(has_distro(&r));
    let names: Vec<&str> = r
        .inventory
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    if unreadable {
        assert!(names.is_empty(), "{names:?}");
        assert!(
            r.warnings.iter().any(|w| w.contains("x-1.dist-info")),
            "{:?}",
            r.warnings
        );
    } else {
        eprintln!("running as root: the chmod 000 file is readable; unreadable part skipped");
        assert_eq!(names, vec!["x"]);
    }
}

#[test]
fn oci_layout_with_fifo_index_does_not_hang() {
    let t = tmp();
    write_layout(t.path(), &[base().done()]);
    let index = t.path().join("index.json");
    std::fs::remove_file(&index).expect("rm");
    let ok = Command::new("mkfifo")
        .arg(&index)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        eprintln!("mkfifo unavailable; skipped");
        return;
    }
    match scan_bounded(&oci(t.path()), &ScanOptions::default(), 10) {
        Err(GenError::Invalid { .. } | GenError::Io { .. }) => {}
        other => panic!("expected an error, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn a_failing_second_output_leaves_no_first_file() {
    // cli-contract.md: "a failed run leaves no file". The first file used to be renamed into
    // place before the second one failed.
    let t = tmp();
    write_layout(t.path(), &[base().done()]);
    let first = t.path().join("first.cdx.json");
    let second = t.path().join("missing-folder/second.txt");
    let o = Command::new(env!("CARGO_BIN_EXE_sbom-gen"))
        .arg(oci(t.path()))
        .arg("-o")
        .arg(format!("cyclonedx-json={}", first.display()))
        .arg("-o")
        .arg(format!("table={}", second.display()))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(!first.exists(), "a failed run left {}", first.display());
    let leftovers: Vec<_> = std::fs::read_dir(t.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Two outputs to one file: the last one wins, and the run succeeds.
    let o = Command::new(env!("CARGO_BIN_EXE_sbom-gen"))
        .arg(oci(t.path()))
        .arg("-o")
        .arg(format!("cyclonedx-json={}", first.display()))
        .arg("-o")
        .arg(format!("table={}", first.display()))
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(&first).expect("written");
    assert!(text.starts_with("NAME"), "{text}");
}

#[test]
fn errors_and_warnings_stay_one_line_each() {
    // cli-contract.md, exit 2: "One line on stderr naming the file". Names read from the input
    // (manifest members, tar member names, link targets) may hold newlines.
    let t = tmp();
    let layer = base().done();
    let cfg = serde_json::to_vec(&json!({"architecture": "amd64", "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": [sha(&layer)]}}))
    .expect("config");
    let archive = t.path().join("a.tar");
    let manifest = json!([{"Config": "config.json", "Layers": ["evil\nsbom-gen: fake line"]}]);
    write_docker(
        &archive,
        &manifest,
        &[("config.json", cfg), ("layer.tar", layer)],
    );
    let o = Command::new(env!("CARGO_BIN_EXE_sbom-gen"))
        .arg(format!("docker-archive:{}", archive.display()))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");

    // Warnings: a member below a symlink whose target holds a newline, an unparsable METADATA
    // whose name holds one.
    let t2 = tmp();
    let l = base()
        .symlink("d", "x\nsbom-gen: fake warning")
        .file("d/f", b"")
        .file("sp/a\nb.dist-info/METADATA", b"not metadata")
        .done();
    write_layout(t2.path(), &[l]);
    let o = Command::new(env!("CARGO_BIN_EXE_sbom-gen"))
        .arg(oci(t2.path()))
        .arg("-o")
        .arg(format!("table={}", t2.path().join("out.txt").display()))
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.lines().all(|l| l.starts_with("sbom-gen: ")),
        "a message was split over lines:\n{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Cataloging findings
// ---------------------------------------------------------------------------------------------

fn npm_names(r: &ScanResult) -> Vec<String> {
    let mut v: Vec<String> = r
        .inventory
        .components
        .iter()
        .filter_map(|c| c.purl.clone())
        .filter(|p| p.starts_with("pkg:npm/"))
        .collect();
    v.sort();
    v
}

const LOCK: &str = r#"{"name": "app", "lockfileVersion": 3, "requires": true, "packages": {
    "": {"name": "app", "version": "1.0.0", "devDependencies": {"mocha": "10.0.0"}},
    "node_modules/a": {"version": "1.0.0", "license": "MIT"},
    "node_modules/b": {"version": "2.0.0"},
    "node_modules/fsevents": {"version": "2.3.3", "optional": true, "os": ["darwin"]},
    "node_modules/mocha": {"version": "10.0.0", "dev": true}
}}"#;

#[test]
fn npm_lock_entries_absent_from_an_installed_tree_are_not_reported() {
    // cli-contract.md: "each lockfile `packages` entry that is installed". With node_modules
    // present, an entry whose folder is not there was not installed: a dev dependency of an
    // `npm ci --omit=dev` image, an optional package for another OS, or a folder removed by a
    // later layer while the lockfiles stayed.
    let t = tmp();
    let l1 = base()
        .file("app/package-lock.json", LOCK.as_bytes())
        .file("app/node_modules/.package-lock.json", LOCK.as_bytes())
        .file(
            "app/node_modules/a/package.json",
            br#"{"name": "a", "version": "1.0.0"}"#,
        )
        .file(
            "app/node_modules/b/package.json",
            br#"{"name": "b", "version": "2.0.0"}"#,
        )
        .done();
    let l2 = TarB::new().file("app/node_modules/.wh.b", b"").done();
    write_layout(t.path(), &[l1, l2]);
    let r = scan_bounded(&oci(t.path()), &ScanOptions::default(), 10).expect("loads");
    assert_eq!(npm_names(&r), vec!["pkg:npm/a@1.0.0"]);

    // A project with a lockfile and no node_modules (a source tree): its entries are what it
    // installs, and are reported.
    let t2 = tmp();
    let l = base().file("src/package-lock.json", LOCK.as_bytes()).done();
    write_layout(t2.path(), &[l]);
    let r = scan_bounded(&oci(t2.path()), &ScanOptions::default(), 10).expect("loads");
    assert_eq!(
        npm_names(&r),
        vec![
            "pkg:npm/a@1.0.0",
            "pkg:npm/b@2.0.0",
            "pkg:npm/fsevents@2.3.3",
            "pkg:npm/mocha@10.0.0"
        ]
    );
}

fn status(pkgs: &[&str]) -> Vec<u8> {
    pkgs.iter()
        .map(|p| {
            format!(
                "Package: {p}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.0-1\n\n"
            )
        })
        .collect::<String>()
        .into_bytes()
}

#[test]
fn dpkg_layer_run_is_broken_by_a_whiteout_of_the_status_file() {
    // A package is attributed to the oldest layer of the unbroken run of status copies listing
    // it (docs/decisions.md). Layers 1 and 2 list `a`; layer 3 deletes the status file; layer 4
    // writes a new one listing `a`: the run restarts at layer 4.
    let t = tmp();
    let st = "var/lib/dpkg/status";
    let l1 = base().file(st, &status(&["a", "b"])).done();
    let l2 = TarB::new().file(st, &status(&["a", "b"])).done();
    let l3 = TarB::new().file("var/lib/dpkg/.wh.status", b"").done();
    let l4 = TarB::new().file(st, &status(&["a"])).done();
    write_layout(t.path(), &[l1, l2, l3, l4]);
    let r = scan_bounded(&oci(t.path()), &ScanOptions::default(), 10).expect("loads");
    let a = r
        .inventory
        .components
        .iter()
        .find(|c| c.name == "a")
        .expect("a");
    assert_eq!(a.locations[0].layer_index, Some(4));
}

// ---------------------------------------------------------------------------------------------
// Bounded mutation run over the handed images
// ---------------------------------------------------------------------------------------------

/// xorshift64*: deterministic, so a failing mutant is reproduced by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn byte(&mut self) -> u8 {
        (self.next() >> 24) as u8
    }
}

/// Offsets of the 512-byte header blocks of a tar (stops at the end marker or a header it
/// cannot size).
fn header_offsets(tar: &[u8]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut pax_size: Option<u64> = None;
    while let Some(block) = tar.get(pos..pos + 512) {
        if block.iter().all(|b| *b == 0) {
            break;
        }
        out.push(pos);
        let h = tar::Header::from_byte_slice(block);
        let Ok(mut size) = h.entry_size() else { break };
        let et = h.entry_type();
        if et.is_pax_local_extensions() {
            let data = tar
                .get(pos + 512..(pos + 512).saturating_add(size as usize))
                .unwrap_or(&[]);
            pax_size = tar::PaxExtensions::new(data)
                .filter_map(Result::ok)
                .find(|e| e.key() == Ok("size"))
                .and_then(|e| e.value().ok().and_then(|v| v.parse().ok()));
        } else if !et.is_gnu_longname() && !et.is_gnu_longlink() {
            size = pax_size.take().unwrap_or(size);
        }
        let Some(next) = (size as usize)
            .checked_next_multiple_of(512)
            .and_then(|s| s.checked_add(pos + 512))
        else {
            break;
        };
        pos = next;
    }
    out
}

fn fix_checksum(tar: &mut [u8], at: usize) {
    if let Some(block) = tar.get_mut(at..at + 512) {
        let mut h = tar::Header::new_old();
        h.as_mut_bytes().copy_from_slice(block);
        h.set_cksum();
        block.copy_from_slice(h.as_bytes());
    }
}

/// Mutate a tar where it hurts: a header's name, size, type flag, link name or any byte, the
/// data after it, the PAX records after an `x` header, or the stream itself (truncate, insert,
/// flip). The header checksum is usually fixed so that the mutant gets past it.
fn mutate_tar(tar: &mut Vec<u8>, rng: &mut Rng) -> String {
    let heads = header_offsets(tar);
    if heads.is_empty() || rng.below(8) == 0 {
        return mutate_bytes(tar, rng);
    }
    let h = heads[rng.below(heads.len())];
    let is_pax = tar.get(h + 156) == Some(&b'x');
    let what = match rng.below(if is_pax { 7 } else { 6 }) {
        0 => {
            // A size: random octal digits, the largest octal value, or base-256.
            let field = &mut tar[h + 124..h + 136];
            match rng.below(3) {
                0 => {
                    for b in field.iter_mut().take(11) {
                        *b = b'0' + (rng.next() % 8) as u8;
                    }
                }
                1 => field.copy_from_slice(b"77777777777\0"),
                _ => {
                    field[0] = 0x80;
                    for b in field.iter_mut().skip(1) {
                        *b = rng.byte();
                    }
                }
            }
            "size"
        }
        1 => {
            const TYPES: &[u8] = b"0123456789xgLKSDMVA\0\xff";
            tar[h + 156] = TYPES[rng.below(TYPES.len())];
            "type flag"
        }
        2 => {
            const NAMES: [&[u8]; 8] = [
                b"../../../../etc/passwd",
                b"/etc/os-release",
                b".wh..wh..opq",
                b"etc/.wh.os-release",
                b"var/lib/dpkg/status",
                b"./",
                b"",
                b"a/../../b",
            ];
            let n = NAMES[rng.below(NAMES.len())];
            let field = &mut tar[h..h + 100];
            field.fill(0);
            field[..n.len()].copy_from_slice(n);
            "name"
        }
        3 => {
            const LINKS: [&[u8]; 6] = [
                b"/",
                b"..",
                b"../../../../etc/shadow",
                b"etc/os-release",
                b"usr/lib/os-release",
                b"self",
            ];
            let n = LINKS[rng.below(LINKS.len())];
            let field = &mut tar[h + 157..h + 257];
            field.fill(0);
            field[..n.len()].copy_from_slice(n);
            "link name"
        }
        4 => {
            let at = h + rng.below(512);
            tar[at] = rng.byte();
            "header byte"
        }
        5 => {
            let at = h + 512 + rng.below(512);
            if let Some(b) = tar.get_mut(at) {
                *b = rng.byte();
            }
            "data byte"
        }
        _ => {
            // Inside the PAX records: lengths, separators, values.
            let at = h + 512 + rng.below(64);
            let v = [b'9', b' ', b'=', b'\n', b'0', rng.byte()][rng.below(6)];
            if let Some(b) = tar.get_mut(at) {
                *b = v;
            }
            "pax record"
        }
    };
    if rng.below(4) != 0 {
        fix_checksum(tar, h);
    }
    format!("{what} of the header at {h}")
}

/// Mutate any bytes: flip a few, truncate, or insert.
fn mutate_bytes(b: &mut Vec<u8>, rng: &mut Rng) -> String {
    if b.is_empty() {
        b.push(rng.byte());
        return "insert into empty".into();
    }
    match rng.below(3) {
        0 => {
            let n = 1 + rng.below(4);
            for _ in 0..n {
                let at = rng.below(b.len());
                b[at] = rng.byte();
            }
            format!("flip {n} bytes")
        }
        1 => {
            let at = rng.below(b.len());
            b.truncate(at);
            format!("truncate at {at}")
        }
        _ => {
            let at = rng.below(b.len() + 1);
            let n = 1 + rng.below(16);
            let ins: Vec<u8> = (0..n).map(|_| rng.byte()).collect();
            b.splice(at..at, ins);
            format!("insert {n} bytes at {at}")
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn decompress(blob: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    if blob.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(blob)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    } else if blob.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        zstd::decode_all(blob).ok()
    } else {
        Some(blob.to_vec())
    }
}

fn blob_path(layout: &Path, digest: &str) -> PathBuf {
    layout
        .join("blobs/sha256")
        .join(digest.trim_start_matches("sha256:"))
}

/// Replace a layer's uncompressed tar and re-seal the layout: new blob, new diff_id in the
/// config, new config and layer digests in the manifest, new manifest digest in index.json.
fn reseal_layer(layout: &Path, layer: usize, tar: &[u8]) -> Option<()> {
    let index: Value =
        serde_json::from_slice(&std::fs::read(layout.join("index.json")).ok()?).ok()?;
    let mdigest = index.pointer("/manifests/0/digest")?.as_str()?.to_string();
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(blob_path(layout, &mdigest)).ok()?).ok()?;
    let cdigest = manifest.pointer("/config/digest")?.as_str()?.to_string();
    let mut config: Value =
        serde_json::from_slice(&std::fs::read(blob_path(layout, &cdigest)).ok()?).ok()?;
    let blob = gzip(tar);
    let ld = put_blob(layout, &blob);
    *manifest.pointer_mut(&format!("/layers/{layer}/digest"))? = json!(ld);
    *manifest.pointer_mut(&format!("/layers/{layer}/size"))? = json!(blob.len());
    *config.pointer_mut(&format!("/rootfs/diff_ids/{layer}"))? = json!(sha(tar));
    let c = serde_json::to_vec(&config).ok()?;
    *manifest.pointer_mut("/config/digest")? = json!(put_blob(layout, &c));
    *manifest.pointer_mut("/config/size")? = json!(c.len());
    let m = serde_json::to_vec(&manifest).ok()?;
    let mut index = index;
    *index.pointer_mut("/manifests/0/digest")? = json!(put_blob(layout, &m));
    *index.pointer_mut("/manifests/0/size")? = json!(m.len());
    std::fs::write(layout.join("index.json"), serde_json::to_vec(&index).ok()?).ok()
}

/// One mutant of an OCI layout copy at `dir`; returns what was done.
fn mutate_layout(dir: &Path, rng: &mut Rng) -> String {
    let index: Option<Value> = std::fs::read(dir.join("index.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let mdigest = index
        .as_ref()
        .and_then(|i| i.pointer("/manifests/0/digest"))
        .and_then(Value::as_str)
        .map(str::to_string);
    let manifest: Option<Value> = mdigest
        .as_deref()
        .and_then(|d| std::fs::read(blob_path(dir, d)).ok())
        .and_then(|b| serde_json::from_slice(&b).ok());
    let layers: Vec<String> = manifest
        .as_ref()
        .and_then(|m| m.get("layers"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|l| l.get("digest").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if rng.below(10) < 6 && !layers.is_empty() {
        // Inside a layer's tar, re-sealed so the mutant gets past the digest checks.
        let li = rng.below(layers.len());
        let Some(mut tar) = std::fs::read(blob_path(dir, &layers[li]))
            .ok()
            .and_then(|b| decompress(&b))
        else {
            return "layer not decompressible: unchanged".into();
        };
        let what = mutate_tar(&mut tar, rng);
        reseal_layer(dir, li, &tar);
        return format!("layer {li}: {what} (re-sealed)");
    }
    // Raw bytes of index.json, the manifest, the config or a layer blob.
    let mut files = vec![dir.join("index.json")];
    if let Some(d) = &mdigest {
        files.push(blob_path(dir, d));
    }
    if let Some(d) = manifest
        .as_ref()
        .and_then(|m| m.pointer("/config/digest"))
        .and_then(Value::as_str)
    {
        files.push(blob_path(dir, d));
    }
    files.extend(layers.iter().map(|d| blob_path(dir, d)));
    let f = &files[rng.below(files.len())];
    let mut bytes = std::fs::read(f).unwrap_or_default();
    let what = mutate_bytes(&mut bytes, rng);
    let _ = std::fs::write(f, &bytes);
    let name = f
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}: {what}")
}

/// Mutate the demo docker archive: its outer tar headers, or inside one member's data (a
/// layer tar, the config, manifest.json) keeping the member's size.
fn mutate_docker(original: &[u8], rng: &mut Rng) -> (Vec<u8>, String) {
    let mut bytes = original.to_vec();
    if rng.below(2) == 0 {
        let what = mutate_tar(&mut bytes, rng);
        return (bytes, format!("outer {what}"));
    }
    let heads = header_offsets(&bytes);
    let h = heads.get(rng.below(heads.len())).copied().unwrap_or(0);
    let size = bytes
        .get(h..h + 512)
        .and_then(|b| tar::Header::from_byte_slice(b).entry_size().ok())
        .unwrap_or(0) as usize;
    let start = (h + 512).min(bytes.len());
    let end = start.saturating_add(size).min(bytes.len());
    let mut member = bytes[start..end].to_vec();
    let what = if member.len() >= 1024 && !member.starts_with(&[0x1f, 0x8b]) {
        mutate_tar(&mut member, rng)
    } else {
        mutate_bytes(&mut member, rng)
    };
    member.resize(end - start, 0);
    bytes[start..end].copy_from_slice(&member);
    (bytes, format!("member at {h}: {what}"))
}

#[test]
fn mutated_handed_images_never_panic_or_hang() {
    let Some(cases) = sbom_model::testing::shared_path("cases") else {
        return;
    };
    // `REVIEW_MUTANTS` scales the run (mutants per handed image; the docker archive gets
    // twice as many); the default keeps it to a few seconds in a debug build.
    let per_image: u64 = std::env::var("REVIEW_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let started = Instant::now();
    let work = tmp();
    let opts = small_limits();
    let mut outcomes = std::collections::BTreeMap::<&str, usize>::new();
    let mut run = |spec: &str, what: &str, through_binary: bool, out: PathBuf| {
        let ok = if through_binary {
            // Exit 0 or 2, no file left on failure, bounded memory (run_binary_bounded).
            run_binary_bounded(spec, &out, 20, 1 << 21).0 == 0
        } else {
            let r = std::panic::catch_unwind(|| scan_bounded(spec, &opts, 10));
            match r {
                Ok(r) => r.is_ok(),
                Err(_) => panic!("mutant {what} of {spec}: panicked or hung"),
            }
        };
        *outcomes.entry(if ok { "ok" } else { "error" }).or_default() += 1;
    };
    for (ci, case) in ["D01", "D02", "D03", "D05", "E01", "E02"]
        .iter()
        .enumerate()
    {
        let image = cases.join(case).join("image");
        if !image.is_dir() {
            continue;
        }
        for m in 0..per_image {
            let mut rng = Rng((0x9E37_79B9_7F4A_7C15 ^ ((ci as u64) << 32 | m)) | 1);
            let dir = work.path().join(format!("{case}-{m}"));
            copy_dir(&image, &dir);
            let mut what = mutate_layout(&dir, &mut rng);
            if rng.below(3) == 0 {
                what = format!("{what}; {}", mutate_layout(&dir, &mut rng));
            }
            let out = work.path().join(format!("{case}-{m}.cdx.json"));
            run(
                &oci(&dir),
                &format!("{case} #{m} ({what})"),
                m % 25 == 0,
                out,
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/demo/demo-app.docker.tar");
    if let Ok(original) = std::fs::read(&demo) {
        for m in 0..2 * per_image {
            let mut rng = Rng((0xD0C4_E400 ^ m) | 1);
            let (bytes, what) = mutate_docker(&original, &mut rng);
            let path = work.path().join(format!("demo-{m}.tar"));
            std::fs::write(&path, &bytes).expect("write");
            let out = work.path().join(format!("demo-{m}.cdx.json"));
            let spec = format!("docker-archive:{}", path.display());
            run(&spec, &format!("demo #{m} ({what})"), m % 25 == 0, out);
        }
    }
    eprintln!(
        "mutants in {:.1} s: {outcomes:?}",
        started.elapsed().as_secs_f64()
    );
    assert!(outcomes.values().sum::<usize>() >= 100, "{outcomes:?}");
}
