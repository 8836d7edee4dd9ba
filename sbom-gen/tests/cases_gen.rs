//! Handed generator cases (`../shared/cases/<ID>/`, "tool": "sbom-gen"): each runs the real
//! binary with the case folder as the working directory and checks its `expected.json`.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

fn run_case(id: &str) {
    let Some(case) = shared(&format!("cases/{id}")) else {
        return;
    };
    let exp = json(&case.join("expected.json"));
    let tmp = tempfile::tempdir().expect("tempdir");

    // The host canary: a file that only the host has. Reading it means a link left the image.
    let canary = exp
        .get("host_canary")
        .and_then(|c| c["path"].as_str())
        .map(|p| {
            let p = Path::new(p).to_path_buf();
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("canary dir");
            }
            std::fs::write(
                &p,
                exp["host_canary"]["content"].as_str().unwrap_or_default(),
            )
            .expect("canary written");
            p
        });

    let out = tmp.path().join("out.cdx.json");
    let source = exp["source"].as_str().expect("source");
    let o = run_gen(
        &[source, "-o", &format!("cyclonedx-json={}", out.display())],
        Some(&case),
    );
    if let Some(p) = &canary {
        std::fs::remove_file(p).ok();
    }
    let stderr = String::from_utf8_lossy(&o.stderr).to_string();
    let code = o.status.code().unwrap_or(-1);
    assert_eq!(
        code,
        exp["exit_code"].as_i64().unwrap_or(0) as i32,
        "{id}: exit code; stderr:\n{stderr}"
    );
    for s in exp["stderr_contains"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        assert!(
            stderr.contains(s),
            "{id}: stderr should contain {s:?}; it was:\n{stderr}"
        );
    }
    if exp["no_output_file"].as_bool().unwrap_or(false) {
        assert!(
            !out.exists(),
            "{id}: a failed run must leave no output file"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("tmp")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert!(left.is_empty(), "{id}: files left behind: {left:?}");
    }
    for p in exp["must_not_exist_after_run"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        assert!(
            !Path::new(p).exists(),
            "{id}: {p} exists after the run: something escaped the image"
        );
    }
    if code != 0 {
        return;
    }
    let doc = json(&out);
    let got = package_keys(&doc);

    let comp_key = |c: &Value| {
        key(
            c["type"].as_str().unwrap_or_default(),
            c["name"].as_str().unwrap_or_default(),
            c["version"].as_str().unwrap_or_default(),
        )
    };
    let required: BTreeSet<Key> = exp["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(comp_key)
        .collect();
    let optional: BTreeSet<Key> = exp["optional_components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(comp_key)
        .collect();
    let missing: Vec<_> = required.difference(&got).collect();
    assert!(missing.is_empty(), "{id}: missing {missing:?}; got {got:?}");
    if exp["exact"].as_bool().unwrap_or(false) {
        let types: BTreeSet<&str> = required.iter().map(|k| k.0.as_str()).collect();
        let extra: Vec<_> = got
            .iter()
            .filter(|k| {
                types.contains(k.0.as_str()) && !required.contains(*k) && !optional.contains(*k)
            })
            .collect();
        assert!(extra.is_empty(), "{id}: unexpected components {extra:?}");
    }
    for m in exp["must_not"].as_array().into_iter().flatten() {
        let ty = m["type"].as_str().unwrap_or_default();
        let name = key(ty, m["name"].as_str().unwrap_or_default(), "").1;
        let hit: Vec<_> = got
            .iter()
            .filter(|k| k.0 == ty && k.1 == name && m["version"].as_str().is_none_or(|v| v == k.2))
            .collect();
        assert!(
            hit.is_empty(),
            "{id}: must not report {hit:?}: {}",
            m["why"].as_str().unwrap_or_default()
        );
    }
    if let Some(d) = exp["distro"].as_str() {
        let (id_, ver) = os_component(&doc).unwrap_or_default();
        assert_eq!(format!("{id_}-{ver}"), d, "{id}: distro");
    }
}

#[test]
fn case_d01_python_metadata_forms() {
    run_case("D01");
}

#[test]
fn case_d02_npm_lockfile_v3() {
    run_case("D02");
}

#[test]
fn case_d03_links_stay_in_root() {
    run_case("D03");
}

#[test]
fn case_d05_whiteouts_opaque_dirs() {
    run_case("D05");
}

#[test]
fn case_e01_truncated_gzip_layer() {
    run_case("E01");
}

#[test]
fn case_e02_hostile_tar_members() {
    run_case("E02");
}
