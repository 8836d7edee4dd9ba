//! Shared helpers for the whole-binary tests: run the real `sbom-match` on a handed case
//! (`../shared/cases/<ID>/`) with a fresh database in a temporary folder, and compare the JSON
//! report with the case's `expected.json` as `../shared/cases/README.md` ("How the answer maps
//! to the report") says: findings by any id of their group and canonical purl, `fixed` ↔
//! `fixed_versions`, `severity`/`score` ↔ `severity.level`/`severity.score`, unmatched by purl or
//! name with a reason containing the text given.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The case folder, or `None` (skipped visibly) when the shared data is absent.
pub fn case_dir(id: &str) -> Option<PathBuf> {
    sbom_model::testing::shared_path(&format!("cases/{id}"))
}

pub fn canon(p: &str) -> String {
    sbom_model::purl::canonical(p).unwrap_or_else(|e| panic!("expected purl does not parse: {e}"))
}

pub fn bin() -> Command {
    let mut c = Command::cargo_bin("sbom-match").unwrap_or_else(|e| panic!("{e}"));
    c.env_remove("SBOM_MATCH_DB").env("NO_COLOR", "1");
    c
}

/// Import `paths` into `db`; returns (exit code, stdout, stderr).
pub fn import(db: &Path, paths: &[&Path], cwd: &Path) -> (i32, String, String) {
    let out = bin()
        .current_dir(cwd)
        .arg("db")
        .arg("import")
        .args(paths)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Result of one scan.
pub struct Run {
    pub code: i32,
    pub report: Value,
    pub stderr: String,
}

/// Scan `sbom` (relative to `cwd`) against `db`, `-o json` to stdout, with `extra` arguments.
pub fn scan(db: &Path, sbom: &str, cwd: &Path, extra: &[&str]) -> Run {
    let out = bin()
        .current_dir(cwd)
        .arg(sbom)
        .arg("--db")
        .arg(db)
        .args(["-o", "json"])
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("report is not JSON ({e}); stderr: {stderr}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr,
    }
}

/// Import the case's `osv` folders into a fresh db and scan its SBOM.
pub fn run_case(id: &str, extra: &[&str]) -> Option<(Value, Run, tempfile::TempDir)> {
    let dir = case_dir(id)?;
    let expected: Value = serde_json::from_slice(
        &std::fs::read(dir.join("expected.json")).unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = tmp.path().join("osv.db");
    let osv: Vec<PathBuf> = expected["osv"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(|s| dir.join(s))
                .collect()
        })
        .unwrap_or_default();
    let refs: Vec<&Path> = osv.iter().map(PathBuf::as_path).collect();
    let (code, _, err) = import(&db, &refs, &dir);
    assert_eq!(code, 0, "db import failed: {err}");
    let sbom = expected["sbom"]
        .as_str()
        .unwrap_or_else(|| panic!("expected.json has no sbom"));
    let run = scan(&db, sbom, &dir, extra);
    Some((expected, run, tmp))
}

fn ids_of(f: &Value) -> Vec<String> {
    let mut v = vec![f["id"].as_str().unwrap_or_default().to_string()];
    if let Some(a) = f["aliases"].as_array() {
        v.extend(a.iter().filter_map(Value::as_str).map(str::to_string));
    }
    v
}

fn purl_type(p: &str) -> String {
    p.strip_prefix("pkg:")
        .and_then(|r| r.split('/').next())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Check the report against `expected.json`. `types`: the purl types this test covers (`None`
/// = all); expected rows of other types are not checked, and report findings of other types are
/// ignored.
pub fn check(expected: &Value, run: &Run, types: Option<&[&str]>) {
    let covered = |p: &str| types.is_none_or(|t| t.contains(&purl_type(p).as_str()));
    let report = &run.report;
    assert_eq!(
        run.code,
        expected["exit_code"].as_i64().unwrap_or(0) as i32,
        "exit code; stderr: {}",
        run.stderr
    );
    if let Some(d) = expected.get("distro").and_then(Value::as_str) {
        assert_eq!(
            report["sboms"][0]["distro"].as_str(),
            Some(d),
            "distro shown for the SBOM"
        );
    }
    if let Some(n) = expected["components"].get("count").and_then(Value::as_u64) {
        assert_eq!(
            report["sboms"][0]["components"].as_u64(),
            Some(n),
            "components read from the SBOM"
        );
    }
    let findings: Vec<&Value> = report["findings"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    let findings: Vec<&Value> = findings
        .into_iter()
        .filter(|f| covered(f["component"]["purl"].as_str().unwrap_or_default()))
        .collect();
    let want: Vec<&Value> = expected["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| covered(f["purl"].as_str().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let mut used = vec![false; findings.len()];
    for w in &want {
        let id = w["id"].as_str().unwrap_or_default();
        let purl = canon(w["purl"].as_str().unwrap_or_default());
        let hits: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f["component"]["purl"].as_str() == Some(purl.as_str())
                    && ids_of(f).iter().any(|x| x == id)
            })
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            hits.len(),
            1,
            "finding {id} on {purl}: expected exactly once, got {}; report: {report:#}",
            hits.len()
        );
        let i = hits[0];
        used[i] = true;
        let f = findings[i];
        if let Some(also) = w["also_ids"].as_array() {
            let ids = ids_of(f);
            for a in also.iter().filter_map(Value::as_str) {
                assert!(
                    ids.iter().any(|x| x == a),
                    "{id} on {purl}: alias {a} missing from {ids:?}"
                );
            }
        }
        if let Some(fixed) = w.get("fixed") {
            assert_eq!(
                &f["fixed_versions"], fixed,
                "{id} on {purl}: fixed versions"
            );
        }
        if let Some(level) = w.get("severity") {
            assert_eq!(
                &f["severity"]["level"], level,
                "{id} on {purl}: severity level"
            );
        }
        if let Some(score) = w.get("score") {
            match score.as_f64() {
                Some(s) => {
                    let got = f["severity"]["score"].as_f64().unwrap_or(-1.0);
                    assert!((got - s).abs() < 1e-9, "{id} on {purl}: score {got} != {s}");
                }
                None => assert!(
                    f["severity"]["score"].is_null(),
                    "{id} on {purl}: score should be null"
                ),
            }
        }
    }
    let extra: Vec<String> = findings
        .iter()
        .zip(used.iter())
        .filter(|(_, u)| !**u)
        .map(|(f, _)| format!("{} on {}", f["id"], f["component"]["purl"]))
        .collect();
    assert!(extra.is_empty(), "unexpected findings: {extra:?}");
    for n in expected["not_findings"].as_array().into_iter().flatten() {
        let p = n["purl"].as_str().unwrap_or_default();
        if !covered(p) {
            continue;
        }
        let id = n["id"].as_str().unwrap_or_default();
        let purl = canon(p);
        assert!(
            !findings
                .iter()
                .any(|f| f["component"]["purl"].as_str() == Some(purl.as_str())
                    && ids_of(f).iter().any(|x| x == id)),
            "{id} must not be reported on {purl}: {}",
            n["why"]
        );
    }
    let unmatched = report["unmatched"].as_array().cloned().unwrap_or_default();
    for u in expected["unmatched"].as_array().into_iter().flatten() {
        let key = u["purl_or_name"].as_str().unwrap_or_default();
        let reason = u["reason_contains"].as_str().unwrap_or_default();
        let key_canon = if key.starts_with("pkg:") {
            canon(key)
        } else {
            key.to_string()
        };
        assert!(
            unmatched.iter().any(|x| {
                (x["component"]["purl"].as_str() == Some(key_canon.as_str())
                    || x["component"]["name"].as_str() == Some(key))
                    && x["reason"].as_str().is_some_and(|r| r.contains(reason))
            }),
            "{key} must be unmatched with a reason containing {reason:?}; unmatched: {unmatched:?}"
        );
    }
}

/// (id, canonical purl) of every finding of a JSON report, sorted.
pub fn pairs(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["id"].as_str().unwrap_or_default().to_string(),
                f["component"]["purl"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .collect();
    v.sort();
    v
}
