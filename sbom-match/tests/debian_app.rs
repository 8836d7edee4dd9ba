//! Done-when check: the PyPI and npm packages of the debian-app test image
//! (`../shared/testdata/images/expected.json`), matched against the shared PyPI and npm OSV
//! records, give exactly the findings that `tests/fixtures/derive_debian_app_findings.py`
//! derived independently (PEP 440 with `packaging`, npm ordering with node's `semver`), pinned
//! in `tests/fixtures/debian_app_expected_findings.json`. The SBOM scanned,
//! `tests/fixtures/debian_app_lang.cdx.json`, was written by the same script from the image's
//! package list.

mod common;

use std::path::Path;

use serde_json::Value;

#[test]
fn debian_app_language_packages_match_the_independent_derivation() {
    let Some(osv) = sbom_model::testing::shared_path("osv") else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures");
    let expected: Value = serde_json::from_slice(
        &std::fs::read(fixtures.join("debian_app_expected_findings.json"))
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = tmp.path().join("osv.db");
    let (code, out, err) = common::import(&db, &[&osv.join("PyPI"), &osv.join("npm")], tmp.path());
    assert_eq!(code, 0, "import: {err}");
    assert!(
        out.contains("imported 2712 records"),
        "PyPI 2695 + npm 17 records: {out}"
    );
    let run = common::scan(&db, "debian_app_lang.cdx.json", &fixtures, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);

    let mut want: Vec<(String, String, Vec<String>, Value)> = expected["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let aliases = f["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (
                f["id"].as_str().unwrap_or_default().to_string(),
                common::canon(f["purl"].as_str().unwrap_or_default()),
                aliases,
                f["fixed"].clone(),
            )
        })
        .collect();
    let mut got: Vec<(String, String, Vec<String>, Value)> = run.report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let aliases = f["aliases"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            (
                f["id"].as_str().unwrap_or_default().to_string(),
                f["component"]["purl"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                aliases,
                f["fixed_versions"].clone(),
            )
        })
        .collect();
    want.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    got.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
    assert!(
        want.len() >= 40,
        "the derivation found {} findings",
        want.len()
    );
    let missing: Vec<_> = want
        .iter()
        .filter(|w| !got.iter().any(|g| g.0 == w.0 && g.1 == w.1))
        .map(|w| (&w.0, &w.1))
        .collect();
    let extra: Vec<_> = got
        .iter()
        .filter(|g| !want.iter().any(|w| g.0 == w.0 && g.1 == w.1))
        .map(|g| (&g.0, &g.1))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing: {missing:?}\nextra: {extra:?}"
    );
    assert_eq!(want, got, "aliases and fixed versions must agree too");
    assert!(
        !got.iter().any(|g| g.1.contains("urllib3")),
        "urllib3 is not in the image"
    );
}
