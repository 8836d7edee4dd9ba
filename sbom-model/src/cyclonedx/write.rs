//! CycloneDX JSON writer (spec 1.5, 1.6, 1.7; <https://cyclonedx.org/docs/1.6/json/>).
//!
//! Deterministic: the same inventory and options give the same bytes. Components are sorted
//! by (canonical purl, name, version, first location path, group); bom-refs are the canonical
//! purl (or `component:NAME@VERSION` without one) with `#2`, `#3`… on repeats in that order; the
//! serial number is a UUID v5 (see [`SERIAL_NAMESPACE`]). Properties written are those of
//! `docs/cli-contract.md` ("CycloneDX properties written by sbom-gen").

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use serde_json::{json, Map, Value};
use uuid::Uuid;

use super::{SpecVersion, WriteOptions};
use crate::{Component, ComponentKind, Inventory};

/// The namespace UUID of serial numbers: `UUIDv5(NAMESPACE_URL, "urn:sbom-gen:serial-number")`
/// = `70c148a7-33d9-5e54-aa47-004de5cf1839` (see [`serial_namespace`]). The serial number of an SBOM is
/// `urn:uuid:` + `UUIDv5(SERIAL_NAMESPACE, config digest)`, or of the source name when there is
/// no config digest.
pub const SERIAL_NAMESPACE: &str = "urn:sbom-gen:serial-number";

/// The namespace UUID derived from [`SERIAL_NAMESPACE`].
pub fn serial_namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, SERIAL_NAMESPACE.as_bytes())
}

/// `urn:uuid:<v5>` for an inventory: seeded by `source.config_digest`, else `source.name`.
pub fn serial_number(inv: &Inventory) -> String {
    let seed = inv
        .source
        .config_digest
        .as_deref()
        .unwrap_or(&inv.source.name);
    format!(
        "urn:uuid:{}",
        Uuid::new_v5(&serial_namespace(), seed.as_bytes())
    )
}

fn spdx_ids() -> &'static HashMap<String, &'static str> {
    static IDS: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    IDS.get_or_init(|| {
        include_str!("spdx-license-ids.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| (l.to_ascii_lowercase(), l))
            .collect()
    })
}

/// The SPDX license (or exception) id with its official case, if `s` is one.
pub fn spdx_license_id(s: &str) -> Option<&'static str> {
    spdx_ids().get(&s.trim().to_ascii_lowercase()).copied()
}

/// Whether a license string is an SPDX expression (has an operator or parentheses).
pub fn is_license_expression(s: &str) -> bool {
    s.contains('(')
        || s.contains(')')
        || s.split_whitespace()
            .any(|w| matches!(w, "AND" | "OR" | "WITH" | "and" | "or" | "with"))
}

/// CycloneDX `licenses`: ids and names as license objects, or one expression (the schema
/// forbids mixing the two forms, so several entries that include an expression are joined with
/// `AND` into one expression).
fn licenses_json(licenses: &[String]) -> Option<Value> {
    let lic: Vec<&str> = licenses
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    if lic.is_empty() {
        return None;
    }
    if lic.iter().any(|l| is_license_expression(l)) {
        let expr = if lic.len() == 1 {
            lic.first().map(|s| s.to_string()).unwrap_or_default()
        } else {
            lic.iter()
                .map(|l| {
                    if is_license_expression(l) {
                        format!("({l})")
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        return Some(json!([{ "expression": expr }]));
    }
    let mut seen = BTreeSet::new();
    let items: Vec<Value> = lic
        .iter()
        .filter(|l| seen.insert(l.to_string()))
        .map(|l| match spdx_license_id(l) {
            Some(id) => json!({ "license": { "id": id } }),
            None => json!({ "license": { "name": l } }),
        })
        .collect();
    Some(Value::Array(items))
}

fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "value": value })
}

pub(crate) fn canonical_purl(c: &Component) -> Option<String> {
    c.purl
        .as_deref()
        .map(|p| crate::purl::canonical(p).unwrap_or_else(|_| p.to_string()))
}

fn sort_key(c: &Component) -> (String, String, String, String, String) {
    (
        canonical_purl(c).unwrap_or_default(),
        c.name.clone(),
        c.version.clone().unwrap_or_default(),
        c.locations
            .first()
            .map(|l| l.path.clone())
            .unwrap_or_default(),
        c.group.clone().unwrap_or_default(),
    )
}

fn component_json(c: &Component, bom_ref: &str) -> Value {
    let mut m = Map::new();
    m.insert("type".into(), json!(c.kind.as_cyclonedx()));
    m.insert("bom-ref".into(), json!(bom_ref));
    if let Some(g) = c.group.as_deref().filter(|g| !g.is_empty()) {
        m.insert("group".into(), json!(g));
    }
    m.insert("name".into(), json!(c.name));
    if let Some(v) = c.version.as_deref().filter(|v| !v.is_empty()) {
        m.insert("version".into(), json!(v));
    }
    if let Some(l) = licenses_json(&c.licenses) {
        m.insert("licenses".into(), l);
    }
    if let Some(p) = canonical_purl(c) {
        m.insert("purl".into(), json!(p));
    }
    let mut paths = BTreeSet::new();
    let occurrences: Vec<Value> = c
        .locations
        .iter()
        .filter(|l| paths.insert(l.path.clone()))
        .map(|l| json!({ "location": l.path }))
        .collect();
    if !occurrences.is_empty() {
        m.insert("evidence".into(), json!({ "occurrences": occurrences }));
    }
    let mut props = Vec::new();
    for l in &c.locations {
        props.push(prop("sbom-gen:location", &l.path));
        if let Some(d) = &l.layer_diff_id {
            props.push(prop("sbom-gen:layer:digest", d));
        }
        if let Some(i) = l.layer_index {
            props.push(prop("sbom-gen:layer:index", &i.to_string()));
        }
    }
    for (k, v) in &c.properties {
        props.push(prop(k, v));
    }
    if !props.is_empty() {
        m.insert("properties".into(), Value::Array(props));
    }
    Value::Object(m)
}

pub(crate) fn is_image(inv: &Inventory) -> bool {
    inv.source.config_digest.is_some()
        || matches!(
            inv.source.scheme.as_str(),
            "docker-archive" | "oci-archive" | "oci-dir" | "registry" | "docker"
        )
}

/// The bom-ref of the operating-system component: `os:<ID>@<VERSION_ID>`.
pub(crate) fn os_bom_ref(d: &crate::Distro) -> String {
    format!("os:{}@{}", d.id, d.version_id)
}

/// The inventory's components in writing order, each with its bom-ref: sorted by (canonical
/// purl, name, version, first location path, group); the bom-ref is the canonical purl (or
/// `component:NAME@VERSION` without one), `#2`, `#3`… on repeats, never the operating-system
/// component's. Shared by the CycloneDX JSON/XML and SPDX writers so all give the same order.
pub(crate) fn ordered_components(inv: &Inventory) -> Vec<(String, &Component)> {
    let mut used_refs: HashMap<String, usize> = HashMap::new();
    if let Some(d) = &inv.distro {
        used_refs.insert(os_bom_ref(d), 1);
    }
    let mut sorted: Vec<(_, &Component)> =
        inv.components.iter().map(|c| (sort_key(c), c)).collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    for (key, c) in sorted {
        let base = if key.0.is_empty() {
            match c.version.as_deref() {
                Some(v) => format!("component:{}@{}", c.name, v),
                None => format!("component:{}", c.name),
            }
        } else {
            key.0.clone()
        };
        let n = used_refs.entry(base.clone()).or_insert(0);
        *n += 1;
        let bom_ref = if *n == 1 { base } else { format!("{base}#{n}") };
        out.push((bom_ref, c));
    }
    out
}

/// Build the CycloneDX document as a JSON value (see [`super::write_json`]).
pub fn to_value(inv: &Inventory, opts: &WriteOptions) -> Value {
    let spec = match opts.spec_version {
        SpecVersion::V1_5 => "1.5",
        SpecVersion::V1_6 => "1.6",
        SpecVersion::V1_7 => "1.7",
    };

    // metadata
    let mut meta = Map::new();
    meta.insert("timestamp".into(), json!(opts.timestamp));
    meta.insert(
        "tools".into(),
        json!({ "components": [{ "type": "application", "name": opts.tool_name, "version": opts.tool_version }] }),
    );
    let mut subject = Map::new();
    subject.insert(
        "type".into(),
        json!(if is_image(inv) {
            "container"
        } else {
            "application"
        }),
    );
    subject.insert("bom-ref".into(), json!("source"));
    subject.insert("name".into(), json!(inv.source.name));
    if let Some(v) = inv.source.version.as_deref().filter(|v| !v.is_empty()) {
        subject.insert("version".into(), json!(v));
    }
    meta.insert("component".into(), Value::Object(subject));
    let mut mprops = Vec::new();
    if !inv.source.scheme.is_empty() {
        mprops.push(prop("sbom-gen:source:scheme", &inv.source.scheme));
    }
    if let Some(d) = &inv.source.config_digest {
        mprops.push(prop("sbom-gen:source:config-digest", d));
    }
    for (k, v) in &inv.source.properties {
        let name = if k.contains(':') {
            k.clone()
        } else {
            format!("sbom-gen:source:{k}")
        };
        mprops.push(prop(&name, v));
    }
    let mut layers = inv.source.layers.clone();
    layers.sort_by_key(|l| l.index);
    for l in &layers {
        mprops.push(prop("sbom-gen:layer:digest", &l.diff_id));
        mprops.push(prop(
            "sbom-gen:layer:created-by",
            l.created_by.as_deref().unwrap_or(""),
        ));
    }
    let mut unknowns = inv.unknowns.clone();
    unknowns.sort();
    for u in &unknowns {
        mprops.push(prop(
            "sbom-gen:unknown",
            &format!("{}: {}", u.path, u.message),
        ));
    }
    if !mprops.is_empty() {
        meta.insert("properties".into(), Value::Array(mprops));
    }

    // components
    let mut comps = Vec::new();
    if let Some(d) = &inv.distro {
        let os_ref = os_bom_ref(d);
        let mut m = Map::new();
        m.insert(
            "type".into(),
            json!(ComponentKind::OperatingSystem.as_cyclonedx()),
        );
        m.insert("bom-ref".into(), json!(os_ref));
        m.insert("name".into(), json!(d.id));
        if !d.version_id.is_empty() {
            m.insert("version".into(), json!(d.version_id));
        }
        let mut p = Vec::new();
        if let Some(pn) = &d.pretty_name {
            p.push(prop("sbom-gen:distro:pretty-name", pn));
        }
        if let Some(cn) = &d.codename {
            p.push(prop("sbom-gen:distro:codename", cn));
        }
        if !p.is_empty() {
            m.insert("properties".into(), Value::Array(p));
        }
        comps.push(Value::Object(m));
    }
    for (bom_ref, c) in ordered_components(inv) {
        comps.push(component_json(c, &bom_ref));
    }

    let mut doc = Map::new();
    doc.insert(
        "$schema".into(),
        json!(format!(
            "http://cyclonedx.org/schema/bom-{spec}.schema.json"
        )),
    );
    doc.insert("bomFormat".into(), json!("CycloneDX"));
    doc.insert("specVersion".into(), json!(spec));
    doc.insert("serialNumber".into(), json!(serial_number(inv)));
    doc.insert("version".into(), json!(1));
    doc.insert("metadata".into(), Value::Object(meta));
    doc.insert("components".into(), Value::Array(comps));
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    #[test]
    fn serial_namespace_is_the_documented_uuid() {
        // Python: uuid.uuid5(uuid.NAMESPACE_URL, "urn:sbom-gen:serial-number")
        assert_eq!(
            super::serial_namespace().to_string(),
            "70c148a7-33d9-5e54-aa47-004de5cf1839"
        );
    }
}
