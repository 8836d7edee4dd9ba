//! CycloneDX 1.6 JSON output (`-o cyclonedx-json`): the scanned SBOMs' components with a
//! `vulnerabilities` section (a vulnerability disclosure report, CycloneDX 1.6 "vulnerabilities"
//! object). Components sharing a canonical purl are listed once, with the canonical purl as
//! their `bom-ref`; components without a purl keep their name and version. One vulnerability
//! object per finding: `id` and `source` from the group's id, the other ids as `references`,
//! one rating (`method` CVSSv4/CVSSv31/CVSSv3/CVSSv2 with score and vector, `other` for
//! database words, or severity `unknown`), `recommendation` naming the fixed version, and
//! `affects` pointing at the component.

use std::collections::BTreeSet;

use sbom_model::purl::Purl;
use sbom_model::ComponentKind;
use serde_json::{json, Map, Value};

use super::Report;
use crate::matcher::{Finding, Input};

/// Where an advisory id comes from (CycloneDX `source`).
fn source(id: &str) -> Value {
    let prefix = id.split('-').next().unwrap_or(id);
    let (name, url) = match prefix {
        "GHSA" => (
            "GitHub Advisory Database",
            Some(format!("https://github.com/advisories/{id}")),
        ),
        "CVE" => (
            "NVD",
            Some(format!("https://nvd.nist.gov/vuln/detail/{id}")),
        ),
        "PYSEC" => (
            "Python Packaging Advisory Database",
            Some(format!("https://osv.dev/vulnerability/{id}")),
        ),
        "GO" => (
            "Go Vulnerability Database",
            Some(format!("https://pkg.go.dev/vuln/{id}")),
        ),
        "RUSTSEC" => (
            "RustSec Advisory Database",
            Some(format!("https://rustsec.org/advisories/{id}")),
        ),
        _ => ("OSV", None),
    };
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    if let Some(u) = url {
        m.insert("url".into(), json!(u));
    }
    Value::Object(m)
}

fn rating(f: &Finding) -> Value {
    let s = &f.severity;
    let mut m = Map::new();
    if let Some(score) = s.score {
        m.insert("score".into(), json!(score));
    }
    m.insert("severity".into(), json!(s.level.as_str()));
    let method = match s.source.as_deref() {
        Some("CVSS_V4") => Some("CVSSv4"),
        Some("CVSS_V3")
            if s.vector
                .as_deref()
                .is_some_and(|v| v.starts_with("CVSS:3.1/")) =>
        {
            Some("CVSSv31")
        }
        Some("CVSS_V3") => Some("CVSSv3"),
        Some("CVSS_V2") => Some("CVSSv2"),
        Some(_) => Some("other"),
        None => None,
    };
    if let Some(method) = method {
        m.insert("method".into(), json!(method));
    }
    if let Some(v) = &s.vector {
        m.insert("vector".into(), json!(v));
    }
    Value::Object(m)
}

/// The document as a JSON value. `inputs` are the SBOMs that were matched.
pub fn to_value(r: &Report<'_>, inputs: &[Input<'_>]) -> Value {
    let mut components = Vec::new();
    let mut seen = BTreeSet::new();
    let mut n = 0usize;
    for input in inputs {
        for c in &input.sbom.components {
            let canonical = c
                .purl
                .as_deref()
                .and_then(|p| Purl::parse(p).ok())
                .map(|p| p.to_string());
            let bom_ref = match &canonical {
                Some(p) => p.clone(),
                None => {
                    n += 1;
                    format!("component-{n}")
                }
            };
            if !seen.insert(bom_ref.clone()) {
                continue;
            }
            let mut m = Map::new();
            let ty = match c.kind {
                ComponentKind::Other => "library",
                k => k.as_cyclonedx(),
            };
            m.insert("type".into(), json!(ty));
            m.insert("bom-ref".into(), json!(bom_ref));
            if let Some(g) = c.group.as_deref().filter(|g| !g.is_empty()) {
                m.insert("group".into(), json!(g));
            }
            let name = if c.name.trim().is_empty() {
                canonical
                    .as_deref()
                    .and_then(|p| Purl::parse(p).ok())
                    .map(|p| p.name)
                    .unwrap_or_else(|| "unnamed".into())
            } else {
                c.name.clone()
            };
            m.insert("name".into(), json!(name));
            if let Some(v) = c.version.as_deref().filter(|v| !v.is_empty()) {
                m.insert("version".into(), json!(v));
            }
            if let Some(p) = &canonical {
                m.insert("purl".into(), json!(p));
            }
            components.push(Value::Object(m));
        }
    }
    let vulnerabilities: Vec<Value> = r
        .outcome
        .findings
        .iter()
        .map(|f| {
            let mut v = Map::new();
            v.insert("id".into(), json!(f.id));
            v.insert("source".into(), source(&f.id));
            if !f.aliases.is_empty() {
                let refs: Vec<Value> = f
                    .aliases
                    .iter()
                    .map(|a| json!({"id": a, "source": source(a)}))
                    .collect();
                v.insert("references".into(), Value::Array(refs));
            }
            v.insert("ratings".into(), json!([rating(f)]));
            if !f.summary.is_empty() {
                v.insert("description".into(), json!(f.summary));
            }
            if let Some(fx) = f.fixed_versions.first() {
                v.insert(
                    "recommendation".into(),
                    json!(format!("Upgrade {} to {fx} or later", f.component.name)),
                );
            }
            let advisories: Vec<Value> = f.references.iter().map(|u| json!({"url": u})).collect();
            if !advisories.is_empty() {
                v.insert("advisories".into(), Value::Array(advisories));
            }
            let target = f.component.purl.clone().unwrap_or_default();
            v.insert("affects".into(), json!([{"ref": target}]));
            Value::Object(v)
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "tools": {"components": [{"type": "application", "name": "sbom-match", "version": r.tool_version}]},
        },
        "components": components,
        "vulnerabilities": vulnerabilities,
    })
}

/// The document as pretty-printed JSON bytes with a trailing newline.
pub fn to_bytes(r: &Report<'_>, inputs: &[Input<'_>]) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(&to_value(r, inputs)).unwrap_or_default();
    b.push(b'\n');
    b
}
