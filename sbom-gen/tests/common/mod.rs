//! Shared helpers for sbom-gen's end-to-end tests: run the real binary, read the SBOM it wrote.
#![allow(dead_code)]

pub mod tarb;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use sbom_model::purl::Purl;
use serde_json::Value;

/// (purl type, name, version) with PyPI names PEP 503-normalised and npm scopes joined
/// (`@scope/name`), the key the handed data compares by.
pub type Key = (String, String, String);

/// PEP 503: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::new();
    let mut sep = false;
    for ch in name.chars() {
        if matches!(ch, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(ch.to_lowercase());
        }
    }
    out
}

pub fn key(ty: &str, name: &str, version: &str) -> Key {
    let name = if ty == "pypi" {
        pep503(name)
    } else {
        name.to_string()
    };
    (ty.to_string(), name, version.to_string())
}

/// Run `sbom-gen ARGS` in `cwd` (or the current folder).
pub fn run_gen(args: &[&str], cwd: Option<&Path>) -> Output {
    let mut cmd = assert_cmd::Command::cargo_bin("sbom-gen").expect("sbom-gen binary is built");
    cmd.args(args).env("SOURCE_DATE_EPOCH", "1700000000");
    if let Some(d) = cwd {
        cmd.current_dir(d);
    }
    cmd.output().expect("sbom-gen runs")
}

/// Scan `source` into a CycloneDX JSON file in `dir` and return the parsed document.
pub fn scan_to_json(source: &str, dir: &Path, cwd: Option<&Path>) -> (Value, Output) {
    let out = dir.join(format!("sbom-{}.cdx.json", uniq()));
    let arg = format!("cyclonedx-json={}", out.display());
    let o = run_gen(&[source, "-o", &arg], cwd);
    assert!(
        o.status.success(),
        "sbom-gen {source} failed: {}\n{}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&out).expect("SBOM written");
    (serde_json::from_slice(&bytes).expect("SBOM is JSON"), o)
}

fn uniq() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// Every component of the SBOM's component tree (nested ones included).
pub fn all_components(doc: &Value) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        if let Some(arr) = v.get("components").and_then(Value::as_array) {
            for c in arr {
                out.push(c);
                walk(c, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut out);
    out
}

/// The (type, name, version) keys of the SBOM's package components, from their purls.
pub fn package_keys(doc: &Value) -> BTreeSet<Key> {
    all_components(doc)
        .into_iter()
        .filter_map(|c| c.get("purl").and_then(Value::as_str))
        .map(|p| {
            let purl =
                Purl::parse(p).unwrap_or_else(|e| panic!("SBOM purl {p:?} does not parse: {e}"));
            let name = match &purl.namespace {
                Some(ns) if purl.ty == "npm" => format!("{ns}/{}", purl.name),
                _ => purl.name.clone(),
            };
            key(&purl.ty, &name, purl.version.as_deref().unwrap_or(""))
        })
        .collect()
}

/// The operating-system component's (name, version), if any.
pub fn os_component(doc: &Value) -> Option<(String, String)> {
    all_components(doc)
        .into_iter()
        .find(|c| c.get("type").and_then(Value::as_str) == Some("operating-system"))
        .map(|c| {
            (
                c.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                c.get("version")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            )
        })
}

/// Unpack a tar (an OCI archive) into `dest` with the tar crate, for the OCI-layout form.
pub fn untar(archive: &Path, dest: &Path) {
    let f = std::fs::File::open(archive).expect("archive opens");
    tar::Archive::new(f).unpack(dest).expect("archive unpacks");
}

pub fn shared(rel: &str) -> Option<PathBuf> {
    sbom_model::testing::shared_path(rel)
}

/// Load a JSON file.
pub fn json(path: &Path) -> Value {
    serde_json::from_slice(
        &std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
