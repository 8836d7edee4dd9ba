//! Adversarial review of the matcher on the real binary: small test-only OSV records
//! (`x_TEST-`-style or shaped like real DSA/DEBIAN-CVE records) and CycloneDX SBOMs written here.
//! Each test names the rule it checks (OSV schema, `docs/cli-contract.md`) and fails on the wrong
//! answer the review found.

mod common;

use std::path::Path;

use serde_json::Value;

/// A CycloneDX 1.6 SBOM with one library component per purl.
fn sbom(purls: &[&str]) -> String {
    let comps: Vec<String> = purls
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(r#"{{"type": "library", "bom-ref": "c{i}", "name": "c{i}", "purl": "{p}"}}"#)
        })
        .collect();
    format!(
        r#"{{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [{}]}}"#,
        comps.join(",")
    )
}

/// Import `records` (file name, JSON) into a fresh database and scan `sbom_json` with `extra`
/// arguments; returns the JSON report.
fn run(records: &[(&str, String)], sbom_json: &str, extra: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let osv = dir.path().join("osv");
    std::fs::create_dir_all(&osv).unwrap_or_else(|e| panic!("{e}"));
    for (name, json) in records {
        std::fs::write(osv.join(name), json).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(dir.path().join("sbom.cdx.json"), sbom_json).unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("osv.db");
    let (code, _, err) = common::import(&db, &[Path::new("osv")], dir.path());
    assert_eq!(code, 0, "import failed: {err}");
    let r = common::scan(&db, "sbom.cdx.json", dir.path(), extra);
    assert_eq!(r.code, 0, "scan failed: {}", r.stderr);
    r.report
}

/// A record with one affected package and one ECOSYSTEM range [introduced, fixed); `extra` is
/// spliced in as further top-level fields (`"aliases": [...]`, ...).
fn record(id: &str, eco: &str, name: &str, fixed: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "{id}", "modified": "2024-01-01T00:00:00Z", {extra}
           "affected": [{{"package": {{"ecosystem": "{eco}", "name": "{name}"}},
           "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "{fixed}"}}]}}]}}]}}"#
    )
}

/// A distro record derived from one CVE (`upstream: [CVE-…]`, as OSV's Debian and Ubuntu
/// records write it) is that vulnerability: it merges with records that alias the CVE. A DSA
/// whose `upstream` names two CVEs is an advisory about two vulnerabilities; it stays its own
/// finding rather than merging distinct CVEs into one.
#[test]
fn single_upstream_id_links_records_into_one_finding() {
    let records = [
        (
            "DSA-5000-1.json",
            record(
                "DSA-5000-1",
                "Debian:12",
                "openssl",
                "3.0.13-1~deb12u1",
                r#""upstream": ["CVE-2024-0001", "CVE-2024-0002"],"#,
            ),
        ),
        (
            "DEBIAN-CVE-2024-0001.json",
            record(
                "DEBIAN-CVE-2024-0001",
                "Debian:12",
                "openssl",
                "3.0.13-1~deb12u1",
                r#""upstream": ["CVE-2024-0001"],"#,
            ),
        ),
        (
            "x_TEST-UP-1.json",
            record(
                "x_TEST-UP-1",
                "Debian:12",
                "openssl",
                "3.0.13-1~deb12u1",
                r#""aliases": ["CVE-2024-0001"],"#,
            ),
        ),
    ];
    let purl =
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl";
    let rep = run(&records, &sbom(&[purl]), &[]);
    let mut groups: Vec<Vec<String>> = rep["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let mut ids: Vec<String> = f["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            ids.push(f["id"].as_str().unwrap_or_default().to_string());
            ids.sort_unstable();
            ids
        })
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        vec![
            vec![
                "CVE-2024-0001".to_string(),
                "DEBIAN-CVE-2024-0001".into(),
                "x_TEST-UP-1".into()
            ],
            vec!["DSA-5000-1".to_string()],
        ],
        "the single-upstream record merges with the CVE's alias group; the DSA stays apart"
    );
}

/// Trivy names RPM distros by its OS family (`alma`, `redhat`, `cbl-mariner`, `amazon`,
/// `opensuse.leap`; trivy `fanal/types` OS constants) in the purl's `distro=` qualifier and the
/// operating-system component, e.g. `pkg:rpm/alma/openssl-libs@…?distro=alma-9.4&epoch=1`. These
/// are the same distros as os-release's `almalinux` / `rhel` (contract: "sbom-match reads them
/// all"); every OS package of such an SBOM was unmatched ("unknown distro").
#[test]
fn trivy_rpm_distro_family_names() {
    let records = [
        (
            "ALSA-2024-0001.json",
            record(
                "ALSA-2024-0001",
                "AlmaLinux:9",
                "openssl",
                "1:3.0.7-28.el9_4",
                "",
            ),
        ),
        (
            "RHSA-2024-0002.json",
            record(
                "RHSA-2024-0002",
                "Red Hat:enterprise_linux:9::baseos",
                "curl",
                "0:7.76.1-29.el9_4",
                "",
            ),
        ),
    ];
    let alma = "pkg:rpm/alma/openssl@3.0.7-27.el9?arch=x86_64&distro=alma-9.4&epoch=1";
    let rhel = "pkg:rpm/redhat/curl@7.76.1-26.el9?arch=x86_64&distro=redhat-9.2";
    let rep = run(&records, &sbom(&[alma, rhel]), &[]);
    let canon = |p: &str| common::canon(p);
    assert_eq!(
        common::pairs(&rep),
        [
            ("ALSA-2024-0001".to_string(), canon(alma)),
            ("RHSA-2024-0002".to_string(), canon(rhel)),
        ],
        "unmatched: {}",
        rep["unmatched"]
    );
}

/// Trivy writes an apk purl's `distro=` as the bare release (`fos.Name`, e.g. `3.19.1`) with the
/// distro in the namespace (trivy `pkg/purl`: `parseApk`), e.g.
/// `pkg:apk/alpine/openssl@3.1.4-r5?arch=x86_64&distro=3.19.1`. That is `Alpine:v3.19`; the
/// bare version was read as a distro named "3.19.1" and won over the OS component, so every
/// Alpine package was unmatched.
#[test]
fn trivy_apk_bare_release_in_distro_qualifier() {
    let records = [(
        "ALPINE-CVE-2024-0001.json",
        record(
            "ALPINE-CVE-2024-0001",
            "Alpine:v3.19",
            "openssl",
            "3.1.4-r6",
            "",
        ),
    )];
    let purl = "pkg:apk/alpine/openssl@3.1.4-r5?arch=x86_64&distro=3.19.1";
    let rep = run(&records, &sbom(&[purl]), &[]);
    assert_eq!(
        common::pairs(&rep),
        [("ALPINE-CVE-2024-0001".to_string(), common::canon(purl))],
        "unmatched: {}",
        rep["unmatched"]
    );
}

/// An affected entry for the package with neither a `versions` list nor a SEMVER/ECOSYSTEM range
/// (only `database_specific`, or only GIT ranges) cannot be evaluated: the OSV schema requires
/// one of them. It was dropped without a word; like an event that does not parse
/// (docs/decisions.md, "never silently dropped") it must be a warning naming the record.
#[test]
fn unevaluable_affected_entry_is_a_warning() {
    let records = [
        (
            "x_TEST-R-1.json",
            r#"{"id": "x_TEST-R-1", "modified": "2024-01-01T00:00:00Z",
                "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                              "database_specific": {"note": "all versions"}}]}"#
                .to_string(),
        ),
        (
            "x_TEST-R-2.json",
            r#"{"id": "x_TEST-R-2", "modified": "2024-01-01T00:00:00Z",
                "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
                              "ranges": [{"type": "GIT", "repo": "https://example.org/r",
                                          "events": [{"introduced": "0"}, {"fixed": "abc123"}]}]}]}"#
                .to_string(),
        ),
    ];
    let rep = run(&records, &sbom(&["pkg:npm/left-pad@1.0.0"]), &[]);
    let warnings = rep["warnings"].to_string();
    for id in ["x_TEST-R-1", "x_TEST-R-2"] {
        assert!(
            warnings.contains(&format!("{id} could not be fully evaluated")),
            "{id} not warned about: {warnings}"
        );
    }
}

/// Composer package names are case-insensitive (Composer's schema asks for lowercase names and
/// its `BasePackage` keeps `strtolower($name)` as the name it compares; the written case is only
/// the "pretty name") and the purl `composer` type lowercases namespace and name
/// (purl-spec `types/composer-definition.json`), so `pkg:composer/symfony/http-kernel` must
/// match a record that writes `Symfony/Http-Kernel`; it never could.
#[test]
fn packagist_names_compare_case_insensitively() {
    let records = [(
        "GHSA-x1x1-x1x1-x1x1.json",
        record(
            "GHSA-x1x1-x1x1-x1x1",
            "Packagist",
            "Symfony/Http-Kernel",
            "5.0.1",
            "",
        ),
    )];
    let purl = "pkg:composer/symfony/http-kernel@5.0.0";
    let rep = run(&records, &sbom(&[purl]), &[]);
    assert_eq!(
        common::pairs(&rep),
        [("GHSA-x1x1-x1x1-x1x1".to_string(), common::canon(purl))]
    );
}
