//! Whole-binary behaviour of `sbom-match` per `docs/cli-contract.md`: exit codes, `--fail-on`,
//! `--only-fixed`, output files (temporary name, no partial file), stdin, a missing database,
//! `db import` of folders/zips with malformed records, `db status`, and the JSON report against
//! `schemas/report-1.schema.json`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn schema() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("schemas")
        .join("report-1.schema.json");
    serde_json::from_slice(&std::fs::read(p).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn validate(report: &Value) -> Vec<String> {
    let s = schema();
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&s)
        .unwrap_or_else(|e| panic!("the schema itself is invalid: {e}"));
    v.iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

/// A case folder with a fresh database imported from its `osv/`.
fn case_db(id: &str) -> Option<(PathBuf, tempfile::TempDir, PathBuf)> {
    let dir = common::case_dir(id)?;
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = tmp.path().join("osv.db");
    let (code, _, err) = common::import(&db, &[&dir.join("osv")], &dir);
    assert_eq!(code, 0, "{err}");
    Some((dir, tmp, db))
}

#[test]
fn json_report_validates_against_the_published_schema() {
    for id in ["B04", "B01", "C08", "A04"] {
        let Some((dir, _tmp, db)) = case_db(id) else {
            return;
        };
        let run = common::scan(&db, "sbom.cdx.json", &dir, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let errors = validate(&run.report);
        assert!(errors.is_empty(), "{id}: {errors:?}");
        assert_eq!(run.report["schema_version"], 1);
        assert!(run.report["summary"]["total"].as_u64().unwrap_or(0) > 0);
    }
    // The schema has teeth: a report missing `summary` or with a bad level is rejected.
    let Some((dir, _tmp, db)) = case_db("B04") else {
        return;
    };
    let mut r = common::scan(&db, "sbom.cdx.json", &dir, &[]).report;
    r["findings"][0]["severity"]["level"] = "severe".into();
    if let Some(o) = r.as_object_mut() {
        o.remove("summary");
    }
    assert!(validate(&r).len() >= 2);
}

#[test]
fn same_input_gives_the_same_bytes() {
    let Some((dir, tmp, db)) = case_db("B03") else {
        return;
    };
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    for out in [&a, &b] {
        let o = common::bin()
            .current_dir(&dir)
            .args(["scan", "sbom.cdx.json", "--db"])
            .arg(&db)
            .arg("-o")
            .arg(format!("json={}", out.display()))
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.status.code(), Some(0));
        assert!(
            o.stdout.is_empty(),
            "nothing goes to stdout when the only output is a file"
        );
    }
    let (x, y) = (
        std::fs::read(&a).unwrap_or_default(),
        std::fs::read(&b).unwrap_or_default(),
    );
    assert!(!x.is_empty());
    assert_eq!(x, y);
    // No temporary file is left beside the outputs.
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp")), "{names:?}");
}

#[test]
fn fail_on_thresholds_and_unknown_severity() {
    // B04: the highest finding is critical, and one is unknown.
    let Some((dir, _tmp, db)) = case_db("B04") else {
        return;
    };
    for (sev, code) in [("critical", 1), ("high", 1), ("low", 1)] {
        let run = common::scan(&db, "sbom.cdx.json", &dir, &["--fail-on", sev]);
        assert_eq!(run.code, code, "--fail-on {sev}");
    }
    // A01: four findings, all of unknown severity (test records carry none): unknown fails
    // every threshold, even critical.
    let Some((dir, _tmp, db)) = case_db("A01") else {
        return;
    };
    let run = common::scan(&db, "sbom.cdx.json", &dir, &["--fail-on", "critical"]);
    assert_eq!(run.report["summary"]["unknown"], 4);
    assert_eq!(run.code, 1);
    // Without findings, --fail-on low passes: A01's records against Debian 11 match nothing.
    let run = common::scan(
        &db,
        "sbom.cdx.json",
        &dir,
        &["--fail-on", "low", "--distro", "debian-11"],
    );
    assert_eq!(run.report["summary"]["total"], 0);
    assert_eq!(run.code, 0);
    // An unknown threshold is a usage error.
    let o = common::bin()
        .current_dir(&dir)
        .args(["sbom.cdx.json", "--db"])
        .arg(&db)
        .args(["--fail-on", "severe"])
        .output();
    assert_eq!(o.map(|o| o.status.code()).ok().flatten(), Some(2));
}

#[test]
fn only_fixed_drops_findings_without_a_fix() {
    let Some((dir, _tmp, db)) = case_db("A04") else {
        return;
    };
    let has = |r: &Value, id: &str| {
        r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["id"] == id)
    };
    let all = common::scan(&db, "sbom.cdx.json", &dir, &[]);
    assert!(
        has(&all.report, "GO-2020-0017"),
        "GO-2020-0017 (no fix) is reported without --only-fixed"
    );
    let fixed = common::scan(&db, "sbom.cdx.json", &dir, &["--only-fixed"]);
    assert!(!has(&fixed.report, "GO-2020-0017"));
    assert!(has(&fixed.report, "GO-2023-1751"));
}

#[test]
fn duplicate_purls_are_one_component() {
    let Some((dir, _tmp, db)) = case_db("C08") else {
        return;
    };
    let run = common::scan(&db, "sbom.cdx.json", &dir, &[]);
    let f: Vec<&Value> = run.report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(f.len(), 1);
    let refs = &f[0]["component"]["bom_refs"];
    assert_eq!(
        refs,
        &serde_json::json!(["pkg:npm/lodash@4.17.20", "lodash-dup"])
    );
}

#[test]
fn stdin_sbom_and_table_without_colour() {
    let Some((dir, _tmp, db)) = case_db("A01") else {
        return;
    };
    let bytes = std::fs::read(dir.join("sbom.cdx.json")).unwrap_or_else(|e| panic!("{e}"));
    let o = common::bin()
        .args(["-", "--db"])
        .arg(&db)
        .write_stdin(bytes)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("x_TEST-A01-2") && out.contains("SEVERITY"),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "NO_COLOR: no escape codes");
}

#[test]
fn errors_exit_2_with_one_line_and_no_partial_file() {
    let Some((dir, tmp, db)) = case_db("A01") else {
        return;
    };
    let out = tmp.path().join("report.json");
    let one_line = |o: &std::process::Output| {
        let e = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(e.trim_end().lines().count(), 1, "one line on stderr: {e}");
        e
    };
    // Missing database: says how to make one.
    let o = common::bin()
        .current_dir(&dir)
        .args(["sbom.cdx.json", "--db"])
        .arg(tmp.path().join("nope.db"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(one_line(&o).contains("sbom-match db import"));
    // An SBOM that is not JSON: names the file; the output file is not created.
    let bad = tmp.path().join("bad.cdx.json");
    std::fs::write(&bad, b"{\"bomFormat\": \"CycloneDX\", ").unwrap_or_else(|e| panic!("{e}"));
    let o = common::bin()
        .arg(&bad)
        .arg("--db")
        .arg(&db)
        .arg("-o")
        .arg(format!("json={}", out.display()))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(one_line(&o).contains("bad.cdx.json"));
    assert!(!out.exists());
    // A missing SBOM.
    let o = common::bin()
        .arg(tmp.path().join("missing.json"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(one_line(&o).contains("missing.json"));
    // An output folder that does not exist: exit 2, nothing written.
    let o = common::bin()
        .current_dir(&dir)
        .args(["sbom.cdx.json", "--db"])
        .arg(&db)
        .arg("-o")
        .arg(format!(
            "json={}",
            tmp.path().join("no/such/dir/r.json").display()
        ))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(one_line(&o).contains("r.json"));
}

#[test]
fn db_import_folders_zips_and_malformed_records() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("nested")).unwrap_or_else(|e| panic!("{e}"));
    let rec = |id: &str, eco: &str, name: &str| {
        format!(
            r#"{{"id": "{id}", "modified": "2024-01-01T00:00:00Z", "affected": [{{"package": {{"ecosystem": "{eco}", "name": "{name}"}},
               "ranges": [{{"type": "ECOSYSTEM", "events": [{{"introduced": "0"}}, {{"fixed": "2.0"}}]}}]}}]}}"#
        )
    };
    let w = |p: PathBuf, s: &str| std::fs::write(p, s).unwrap_or_else(|e| panic!("{e}"));
    w(src.join("A-1.json"), &rec("A-1", "PyPI", "Foo_Bar"));
    w(
        src.join("nested").join("A-2.json"),
        &rec("A-2", "Debian:12", "openssl"),
    );
    w(
        src.join("broken.json"),
        r#"{"id": "B-1", "modified": "2024-01-01T00:00:00Z", "affected": {}}"#,
    );
    w(src.join("README.md"), "not a record");
    // A zip with one record and a non-JSON member.
    let zpath = tmp.path().join("all.zip");
    {
        let f = std::fs::File::create(&zpath).unwrap_or_else(|e| panic!("{e}"));
        let mut z = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("Z-1.json", opts)
            .unwrap_or_else(|e| panic!("{e}"));
        z.write_all(rec("Z-1", "npm", "left-pad").as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        z.start_file("LICENSE", opts)
            .unwrap_or_else(|e| panic!("{e}"));
        z.write_all(b"x").unwrap_or_else(|e| panic!("{e}"));
        z.finish().unwrap_or_else(|e| panic!("{e}"));
    }
    let db = tmp.path().join("db").join("osv.db");
    let (code, out, err) = common::import(&db, &[&src, &zpath], tmp.path());
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("imported 3 records"), "{out}");
    assert!(
        err.contains("broken.json") && err.contains("/affected"),
        "warning names the file and pointer: {err}"
    );
    assert!(
        !err.contains("README"),
        "other files are ignored silently: {err}"
    );
    // Status: per-ecosystem counts (base ecosystems) and the schema version.
    let o = common::bin()
        .args(["db", "status", "--db"])
        .arg(&db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("records: 3") && s.contains("schema version: 1"),
        "{s}"
    );
    for eco in ["Debian", "PyPI", "npm"] {
        assert!(
            s.lines()
                .any(|l| l.split_whitespace().collect::<Vec<_>>() == [eco, "1"]),
            "{eco} in {s}"
        );
    }
    // The PyPI name was stored PEP 503-normalised: a purl with another spelling matches.
    let sbom = tmp.path().join("s.cdx.json");
    w(
        sbom.clone(),
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
            "components": [{"type": "library", "name": "foo.bar", "version": "1.0", "purl": "pkg:pypi/foo.bar@1.0"}]}"#,
    );
    let run = common::scan(&db, &sbom.display().to_string(), tmp.path(), &[]);
    assert_eq!(run.report["findings"][0]["id"], "A-1", "{}", run.stderr);
    assert_eq!(run.report["database"]["records"], 3);
    // Nothing readable at all: exit 2.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = common::import(&db, &[&empty], tmp.path());
    assert_eq!(code, 2, "{err}");
}

#[test]
fn version_flag() {
    let o = common::bin()
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains(env!("CARGO_PKG_VERSION")));
}

/// A version that does not parse is never a silent "not affected": the component is listed as
/// unmatched, and a record whose events do not parse is a warning naming both.
#[test]
fn unparseable_versions_are_reported() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = tmp.path().join("osv");
    std::fs::create_dir_all(&src).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        src.join("X-1.json"),
        r#"{"id": "X-1", "modified": "2024-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "npm", "name": "left-pad"},
           "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "one.two"}]}]}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let db = tmp.path().join("osv.db");
    let (code, _, err) = common::import(&db, &[&src], tmp.path());
    assert_eq!(code, 0, "{err}");
    std::fs::write(
        tmp.path().join("s.cdx.json"),
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
            {"type": "library", "name": "left-pad", "version": "1.0.0", "purl": "pkg:npm/left-pad@1.0.0"},
            {"type": "library", "name": "is-odd", "version": "latest", "purl": "pkg:npm/is-odd@latest"},
            {"type": "library", "name": "curl", "version": "8.0", "purl": "pkg:rpm/amzn/curl@8.0?distro=amzn-2023"}]}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = common::scan(&db, "s.cdx.json", tmp.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings = run.report["warnings"].to_string();
    assert!(
        warnings.contains("X-1") && warnings.contains("one.two") && warnings.contains("left-pad"),
        "{warnings}"
    );
    assert!(run.stderr.contains("X-1"), "{}", run.stderr);
    let unmatched = run.report["unmatched"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let reason = |name: &str| {
        unmatched
            .iter()
            .find(|u| u["component"]["name"] == name)
            .and_then(|u| u["reason"].as_str().map(str::to_string))
            .unwrap_or_default()
    };
    assert!(
        reason("is-odd").starts_with("unparseable version"),
        "{unmatched:?}"
    );
    assert_eq!(reason("curl"), "no OSV ecosystem for amzn");
}

/// `-o sarif=FILE` next to `-o json`: a SARIF 2.1.0 log valid against the OASIS schema, one
/// result per finding of the JSON report, with the same ids.
#[test]
fn sarif_output_is_valid_sarif() {
    let Some(schema_path) = sbom_model::testing::shared_path("schemas/sarif-2.1.0.schema.json")
    else {
        return;
    };
    let Some((dir, tmp, db)) = case_db("B04") else {
        return;
    };
    let sarif_path = tmp.path().join("out.sarif");
    let run = common::scan(
        &db,
        "sbom.cdx.json",
        &dir,
        &["-o", &format!("sarif={}", sarif_path.display())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sarif: Value = serde_json::from_slice(&std::fs::read(&sarif_path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let schema: Value = serde_json::from_slice(&std::fs::read(schema_path).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let v = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{e}"));
    let errors: Vec<String> = v
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut sarif_ids: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    let mut json_ids: Vec<&str> = run.report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["id"].as_str())
        .collect();
    sarif_ids.sort_unstable();
    json_ids.sort_unstable();
    assert_eq!(sarif_ids, json_ids);
    // The unknown-severity finding (certifi) is a warning, the critical ones errors.
    let lv = |id: &str, purl_part: &str| {
        sarif["runs"][0]["results"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| {
                r["ruleId"] == id
                    && r["properties"]["purl"]
                        .as_str()
                        .is_some_and(|p| p.contains(purl_part))
            })
            .and_then(|r| r["level"].as_str().map(str::to_string))
    };
    assert_eq!(lv("PYSEC-2023-135", "certifi").as_deref(), Some("warning"));
    assert_eq!(lv("x_TEST-B04-4", "pyyaml").as_deref(), Some("error"));
}

/// `-o cyclonedx-json`: the SBOM's components with a vulnerabilities section, valid against the
/// CycloneDX 1.6 schema, each finding affecting a listed component.
#[test]
fn cyclonedx_vdr_output_is_valid_cyclonedx() {
    for id in ["B04", "C08", "A04"] {
        let Some((dir, tmp, db)) = case_db(id) else {
            return;
        };
        let out = tmp.path().join("vdr.cdx.json");
        let run = common::scan(
            &db,
            "sbom.cdx.json",
            &dir,
            &["-o", &format!("cyclonedx-json={}", out.display())],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let doc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
        if let Err(errors) = sbom_model::schema_check::validate_cyclonedx(
            &doc,
            sbom_model::cyclonedx::SpecVersion::V1_6,
        ) {
            panic!("{id}: {errors:?}");
        }
        let refs: Vec<&str> = doc["components"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["bom-ref"].as_str())
            .collect();
        let vulns = doc["vulnerabilities"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            vulns.len(),
            run.report["findings"].as_array().map_or(0, Vec::len)
        );
        for v in &vulns {
            let target = v["affects"][0]["ref"].as_str().unwrap_or_default();
            assert!(
                refs.contains(&target),
                "{id}: {target} is not a listed component"
            );
        }
    }
}

/// The default database path: `$SBOM_MATCH_DB`, else `$XDG_DATA_HOME/sbom-match/osv.db`.
#[test]
fn default_database_path() {
    let Some(dir) = common::case_dir("A01") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let env_db = tmp.path().join("env.db");
    let o = common::bin()
        .env("SBOM_MATCH_DB", &env_db)
        .args(["db", "import"])
        .arg(dir.join("osv"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    assert!(env_db.is_file());
    let xdg = tmp.path().join("xdg");
    let o = common::bin()
        .env("XDG_DATA_HOME", &xdg)
        .args(["db", "import"])
        .arg(dir.join("osv"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    assert!(xdg.join("sbom-match").join("osv.db").is_file());
    let o = common::bin()
        .current_dir(&dir)
        .env("XDG_DATA_HOME", &xdg)
        .args(["sbom.cdx.json", "-o", "json"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r["summary"]["total"], 4);
}

/// The package an SPDX document DESCRIBES is the image itself (a container without a purl, as
/// sbom-gen and Syft write it): not a package, so neither matched nor listed as unmatched. A
/// library without a purl still is ("no purl").
#[test]
fn described_container_without_purl_is_not_unmatched() {
    let Some((dir, _tmp, db)) = case_db("A06") else {
        return;
    };
    let spdx = serde_json::json!({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": "img", "documentNamespace": "https://example.invalid/img",
        "creationInfo": {"created": "2023-11-14T22:13:20Z", "creators": ["Tool: test"]},
        "packages": [
            {"SPDXID": "SPDXRef-img", "name": "img:latest", "downloadLocation": "NOASSERTION",
             "primaryPackagePurpose": "CONTAINER"},
            {"SPDXID": "SPDXRef-django", "name": "Django", "versionInfo": "3.2",
             "downloadLocation": "NOASSERTION",
             "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                               "referenceLocator": "pkg:pypi/django@3.2"}]},
            {"SPDXID": "SPDXRef-nopurl", "name": "mystery-lib", "versionInfo": "1.0",
             "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "LIBRARY"}
        ],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                           "relatedSpdxElement": "SPDXRef-img"}]
    });
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = tmp.path().join("img.spdx.json");
    std::fs::write(&path, spdx.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let run = common::scan(&db, &path.display().to_string(), &dir, &[]);
    let unmatched: Vec<String> = run.report["unmatched"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| {
            u["component"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(unmatched, vec!["mystery-lib".to_string()]);
    let findings = run.report["findings"].as_array().map(Vec::len).unwrap_or(0);
    assert!(findings >= 2, "django 3.2 has A06's findings: {findings}");
}

/// A database with no record at all for a component's ecosystem cannot clear it: the report
/// says so (a warning naming the ecosystem), instead of "no findings" standing for "not
/// checked". Ecosystems the database does hold raise no such warning.
#[test]
fn ecosystems_missing_from_the_database_are_reported() {
    let Some((dir, _tmp, db)) = case_db("A06") else {
        return;
    };
    let sbom = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "components": [
            {"type": "library", "name": "django", "version": "3.2", "purl": "pkg:pypi/django@3.2"},
            {"type": "library", "name": "libssl3", "version": "3.0.11-1~deb12u2",
             "purl": "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl"}
        ]
    });
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = tmp.path().join("mixed.cdx.json");
    std::fs::write(&path, sbom.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let run = common::scan(&db, &path.display().to_string(), &dir, &[]);
    let warnings: Vec<&str> = run.report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("no advisories for Debian:12") && w.contains("1 component")),
        "{warnings:?}"
    );
    assert!(
        !warnings
            .iter()
            .any(|w| w.contains("no advisories for PyPI")),
        "{warnings:?}"
    );
}
