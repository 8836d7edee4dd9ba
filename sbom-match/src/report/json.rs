//! The JSON report (`-o json`), schema version 1: field names and shapes exactly as
//! `docs/cli-contract.md` ("The JSON report") lists them; `schemas/report-1.schema.json`
//! describes it. Arrays come sorted from the matcher, so the same input gives the same bytes.
//! Added fields (allowed by the contract): `component.bom_refs`, `component.purl_as_written`,
//! `severity` objects always carry all four keys, and a top-level `warnings` array.

use serde_json::{json, Map, Value};

use super::{Report, Summary};
use crate::matcher::{Finding, MatchedRange};

fn range_json(r: &MatchedRange) -> Value {
    let mut m = Map::new();
    m.insert("record".into(), json!(r.record));
    for (k, v) in [
        ("introduced", &r.introduced),
        ("fixed", &r.fixed),
        ("last_affected", &r.last_affected),
        ("limit", &r.limit),
        ("listed", &r.listed),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    Value::Object(m)
}

fn finding_json(f: &Finding) -> Value {
    let c = &f.component;
    let mut comp = Map::new();
    comp.insert("bom_ref".into(), json!(c.bom_refs.first()));
    comp.insert("bom_refs".into(), json!(c.bom_refs));
    comp.insert("name".into(), json!(c.name));
    comp.insert("version".into(), json!(c.version));
    comp.insert("purl".into(), json!(c.purl));
    if let Some(w) = &c.purl_as_written {
        comp.insert("purl_as_written".into(), json!(w));
    }
    comp.insert("locations".into(), json!(c.locations));
    comp.insert("sbom".into(), json!(c.sbom));
    json!({
        "id": f.id,
        "aliases": f.aliases,
        "summary": f.summary,
        "severity": {
            "level": f.severity.level.as_str(),
            "score": f.severity.score,
            "vector": f.severity.vector,
            "source": f.severity.source,
        },
        "component": Value::Object(comp),
        "matched": {
            "ecosystem": f.matched.ecosystem,
            "package": f.matched.package,
            "version": f.matched.version,
            "ranges": f.matched.ranges.iter().map(range_json).collect::<Vec<_>>(),
        },
        "fixed_versions": f.fixed_versions,
        "references": f.references,
        "ignored": Value::Null,
    })
}

/// The report as a JSON value.
pub fn to_value(r: &Report<'_>) -> Value {
    let o = r.outcome;
    let s = Summary::of(o);
    let db = r.database;
    json!({
        "schema_version": 1,
        "tool": {"name": "sbom-match", "version": r.tool_version},
        "database": {
            "path": db.path,
            "records": db.records,
            "ecosystems": db.ecosystems,
            "imported_at": db.imported_at,
        },
        "sboms": o.sboms.iter().map(|b| json!({
            "path": b.path, "format": b.format, "components": b.components, "distro": b.distro,
        })).collect::<Vec<_>>(),
        "findings": o.findings.iter().map(finding_json).collect::<Vec<_>>(),
        "unmatched": o.unmatched.iter().map(|u| json!({
            "component": {"name": u.name, "version": u.version, "purl": u.purl, "sbom": u.sbom},
            "reason": u.reason,
        })).collect::<Vec<_>>(),
        "policy": {"ignored": [], "unused_rules": [], "license_violations": []},
        "summary": {
            "critical": s.critical, "high": s.high, "medium": s.medium, "low": s.low,
            "unknown": s.unknown, "total": s.total, "ignored": s.ignored,
        },
        "warnings": o.warnings,
    })
}

/// The report as pretty-printed JSON bytes with a trailing newline.
pub fn to_bytes(r: &Report<'_>) -> Vec<u8> {
    let mut b = serde_json::to_vec_pretty(&to_value(r)).unwrap_or_default();
    b.push(b'\n');
    b
}
