//! SARIF 2.1.0 output (`-o sarif`), for code-scanning dashboards (OASIS SARIF 2.1.0, the
//! schema in `shared/schemas/sarif-2.1.0.schema.json`). One rule per vulnerability id (with
//! GitHub's `security-severity` property holding the CVSS score), one result per finding.
//! Levels: critical/high → `error`, medium and unknown → `warning` (unknown never passes
//! quietly), low → `note`. A result's location is the component's first location in the image,
//! else the SBOM file.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::Report;
use crate::matcher::Finding;
use crate::severity::Level;

fn level(l: Level) -> &'static str {
    match l {
        Level::Critical | Level::High => "error",
        Level::Medium | Level::Unknown => "warning",
        Level::Low => "note",
    }
}

fn message(f: &Finding) -> String {
    let c = &f.component;
    let mut m = format!(
        "{} {} is affected by {}",
        c.name,
        c.version.as_deref().unwrap_or("?"),
        f.id
    );
    if !f.summary.is_empty() {
        m.push_str(": ");
        m.push_str(&f.summary);
    }
    match f.fixed_versions.first() {
        Some(v) => m.push_str(&format!(" (fixed in {v})")),
        None => m.push_str(" (no fixed version)"),
    }
    m
}

/// The SARIF log as a JSON value.
pub fn to_value(r: &Report<'_>) -> Value {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for f in &r.outcome.findings {
        rules.entry(f.id.as_str()).or_insert_with(|| {
            let mut props = json!({"tags": ["security", "vulnerability"]});
            if let Some(s) = f.severity.score {
                props["security-severity"] = json!(format!("{s:.1}"));
            }
            let mut rule = json!({
                "id": f.id,
                "shortDescription": {"text": if f.summary.is_empty() { f.id.clone() } else { f.summary.clone() }},
                "defaultConfiguration": {"level": level(f.severity.level)},
                "properties": props,
            });
            if let Some(u) = f.references.first() {
                rule["helpUri"] = json!(u);
            }
            rule
        });
    }
    let results: Vec<Value> = r
        .outcome
        .findings
        .iter()
        .map(|f| {
            let uri = f
                .component
                .locations
                .first()
                .cloned()
                .unwrap_or_else(|| f.component.sbom.clone());
            json!({
                "ruleId": f.id,
                "level": level(f.severity.level),
                "message": {"text": message(f)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
                "properties": {
                    "purl": f.component.purl,
                    "severity": f.severity.level.as_str(),
                    "aliases": f.aliases,
                    "fixed_versions": f.fixed_versions,
                },
            })
        })
        .collect();
    json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "sbom-match",
                "version": r.tool_version,
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "results": results,
        }],
    })
}

/// The SARIF log as pretty-printed JSON bytes with a trailing newline.
pub fn to_bytes(r: &Report<'_>) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(&to_value(r)).unwrap_or_default();
    b.push(b'\n');
    b
}
