//! `dir:` sources (a root filesystem folder) and honesty about what was not cataloged.

mod common;

use common::*;
use serde_json::Value;

fn props(v: &Value) -> Vec<(String, String)> {
    v["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_string(),
                p["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn write(root: &std::path::Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, data).expect("write");
}

#[test]
fn dir_source_names_no_layers_and_reports_oversized_metadata() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("rootfs");
    write(
        &root,
        "usr/lib/os-release",
        b"ID=debian\nVERSION_ID=\"12\"\n",
    );
    std::fs::create_dir_all(root.join("etc")).expect("etc");
    std::os::unix::fs::symlink("../usr/lib/os-release", root.join("etc/os-release")).expect("link");
    let sp = "usr/lib/python3/dist-packages";
    write(
        &root,
        &format!("{sp}/six-1.16.0.dist-info/METADATA"),
        b"Metadata-Version: 2.1\nName: six\nVersion: 1.16.0\n",
    );
    // A METADATA over the Python cataloger's 16 MiB cap: not read, but not forgotten either.
    let mut big = b"Metadata-Version: 2.1\nName: huge\nVersion: 1.0\n\n".to_vec();
    big.resize(17 << 20, b'x');
    write(&root, &format!("{sp}/huge-1.0.dist-info/METADATA"), &big);

    let out = tmp.path().join("out.cdx.json");
    let o = run_gen(
        &[
            &format!("dir:{}", root.display()),
            "-o",
            &format!("cyclonedx-json={}", out.display()),
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let doc = json(&out);

    let keys = package_keys(&doc);
    assert!(keys.contains(&key("pypi", "six", "1.16.0")), "{keys:?}");
    assert!(
        !keys.iter().any(|k| k.1 == "huge"),
        "the oversized file is not parsed: {keys:?}"
    );
    assert_eq!(
        os_component(&doc),
        Some(("debian".to_string(), "12".to_string()))
    );

    // No layers in a root filesystem: no empty digests, no made-up layer numbers.
    let six = all_components(&doc)
        .into_iter()
        .find(|c| c["name"] == "six")
        .expect("six");
    let six_props = props(six);
    assert!(
        six_props
            .iter()
            .all(|(k, _)| !k.starts_with("sbom-gen:layer:")),
        "{six_props:?}"
    );
    let meta = props(&doc["metadata"]);
    assert!(
        meta.iter().all(|(k, _)| !k.starts_with("sbom-gen:layer:")),
        "{meta:?}"
    );

    // The skipped file is an unknown, on stderr and in the SBOM.
    let huge = format!("{sp}/huge-1.0.dist-info/METADATA");
    assert!(
        stderr.contains(&huge) && stderr.contains("size limit"),
        "{stderr}"
    );
    assert!(
        meta.iter()
            .any(|(k, v)| k == "sbom-gen:unknown" && v.contains(&huge)),
        "metadata properties: {meta:?}"
    );
}
