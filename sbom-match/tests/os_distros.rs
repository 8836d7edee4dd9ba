//! OS package matching beyond the handed cases: Alpine by origin in `Alpine:v<maj.min>`,
//! Ubuntu LTS releases as `Ubuntu:<ver>:LTS`, `--distro` overriding the purl's qualifier, and
//! several SBOMs in one run. Records are test-only (`x_TEST-` prefix), shaped like the real
//! Alpine/Ubuntu OSV records; the expected answers follow from the contract's ecosystem table
//! and the apk/dpkg orderings (`3.1.4-r5 < 3.1.4-r6`; `0ubuntu1.10 < 0ubuntu1.12`, digits
//! compared as numbers).

mod common;

use std::path::Path;

use serde_json::Value;

fn record(id: &str, eco: &str, name: &str, fixed: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "2024-01-01T00:00:00Z", "summary": "{name} test record",
           "affected": [{{"package": {{"ecosystem": "{eco}", "name": "{name}"}},
           "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "{fixed}"}}]}}]}}]}}"#
    )
}

fn sbom(purls: &[&str]) -> String {
    let comps: Vec<String> = purls
        .iter()
        .map(|p| {
            let name = p
                .split('/')
                .nth(2)
                .and_then(|s| s.split('@').next())
                .unwrap_or("x");
            format!(r#"{{"type": "library", "name": "{name}", "purl": "{p}"}}"#)
        })
        .collect();
    format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [{}]}}"#,
        comps.join(",")
    )
}

#[test]
fn alpine_ubuntu_override_and_several_sboms() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path();
    let osv = dir.join("osv");
    std::fs::create_dir_all(&osv).unwrap_or_else(|e| panic!("{e}"));
    let w = |p: &Path, s: String| std::fs::write(p, s).unwrap_or_else(|e| panic!("{e}"));
    w(
        &osv.join("a1.json"),
        record("x_TEST-ALP-1", "Alpine:v3.19", "openssl", "3.1.4-r6"),
    );
    w(
        &osv.join("a2.json"),
        record("x_TEST-ALP-2", "Alpine:v3.18", "openssl", "3.1.4-r9"),
    );
    w(
        &osv.join("a3.json"),
        record("x_TEST-ALP-3", "Alpine:v3.19", "libcrypto3", "3.1.4-r9"),
    );
    w(
        &osv.join("u1.json"),
        record(
            "x_TEST-UBU-1",
            "Ubuntu:22.04:LTS",
            "openssl",
            "3.0.2-0ubuntu1.12",
        ),
    );
    w(
        &osv.join("u2.json"),
        record(
            "x_TEST-UBU-2",
            "Ubuntu:20.04:LTS",
            "openssl",
            "3.0.2-0ubuntu1.12",
        ),
    );
    let db = dir.join("osv.db");
    let (code, _, err) = common::import(&db, &[&osv], dir);
    assert_eq!(code, 0, "{err}");

    let alpine =
        "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1&upstream=openssl";
    let ubuntu =
        "pkg:deb/ubuntu/libssl3@3.0.2-0ubuntu1.10?arch=amd64&distro=ubuntu-22.04&upstream=openssl";
    w(&dir.join("alpine.cdx.json"), sbom(&[alpine]));
    w(&dir.join("ubuntu.cdx.json"), sbom(&[ubuntu]));

    // Two SBOMs in one run; each finding names its SBOM.
    let out = common::bin()
        .current_dir(dir)
        .args(["alpine.cdx.json", "ubuntu.cdx.json", "-o", "json", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        common::pairs(&report),
        vec![
            ("x_TEST-ALP-1".to_string(), common::canon(alpine)),
            ("x_TEST-UBU-1".to_string(), common::canon(ubuntu)),
        ]
    );
    let sbom_of = |id: &str| {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["id"] == id)
            .and_then(|f| f["component"]["sbom"].as_str().map(str::to_string))
    };
    assert_eq!(sbom_of("x_TEST-ALP-1").as_deref(), Some("alpine.cdx.json"));
    assert_eq!(sbom_of("x_TEST-UBU-1").as_deref(), Some("ubuntu.cdx.json"));
    assert_eq!(report["sboms"].as_array().map(Vec::len), Some(2));
    let eco = |id: &str| {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["id"] == id)
            .and_then(|f| f["matched"]["ecosystem"].as_str().map(str::to_string))
    };
    assert_eq!(eco("x_TEST-ALP-1").as_deref(), Some("Alpine:v3.19"));
    assert_eq!(eco("x_TEST-UBU-1").as_deref(), Some("Ubuntu:22.04:LTS"));

    // --distro wins over the purl's qualifier.
    let run = common::scan(&db, "alpine.cdx.json", dir, &["--distro", "alpine-3.18"]);
    assert_eq!(
        common::pairs(&run.report),
        vec![("x_TEST-ALP-2".to_string(), common::canon(alpine))]
    );
    assert_eq!(run.report["sboms"][0]["distro"], "alpine-3.18");
    let run = common::scan(&db, "ubuntu.cdx.json", dir, &["--distro", "focal"]);
    assert_eq!(
        common::pairs(&run.report),
        vec![("x_TEST-UBU-2".to_string(), common::canon(ubuntu))]
    );
}
