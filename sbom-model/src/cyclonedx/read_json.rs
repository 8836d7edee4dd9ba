//! CycloneDX JSON reader (specVersion 1.2–1.7, <https://cyclonedx.org/docs/1.6/json/>).
//!
//! Strict where guessing would be wrong: not JSON (error with line:column), `bomFormat` not
//! `CycloneDX`, `components` present but not an array. Lenient where real tools are sloppy
//! (case C08): a component without a name takes it from its purl, an empty purl is no purl,
//! duplicated `dependsOn` entries and refs to nothing are warnings. Every warning names its
//! place as a JSON pointer (RFC 6901), e.g. `/components/3`.

use std::collections::HashSet;

use serde_json::Value;

use super::distro_from_component;
use crate::{Component, ComponentKind, Location, ReadError, Sbom, Warning};

/// Read a CycloneDX JSON document. `origin` names the file in errors and warnings.
///
/// Components are flattened depth-first (nested `components` at any depth); `metadata.component`,
/// pedigree components and services are not components. `Sbom::format` is
/// `CycloneDX <specVersion> JSON`.
///
/// # Errors
/// [`ReadError`] when the bytes are not JSON (place `line L:C`), not a CycloneDX object
/// (place `/bomFormat`), or `components` is not an array (place `/components`).
pub fn read_json(bytes: &[u8], origin: &str) -> Result<Sbom, ReadError> {
    let err = |place: Option<String>, message: String| ReadError {
        origin: origin.to_string(),
        place,
        message,
    };
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        err(
            Some(format!("line {}:{}", e.line(), e.column())),
            format!("not valid JSON: {e}"),
        )
    })?;
    let obj = doc
        .as_object()
        .ok_or_else(|| err(Some("/".into()), "not a JSON object".into()))?;
    match obj.get("bomFormat").and_then(Value::as_str) {
        Some("CycloneDX") => {}
        Some(other) => {
            return Err(err(
                Some("/bomFormat".into()),
                format!("bomFormat is {other:?}, not \"CycloneDX\""),
            ));
        }
        None => {
            return Err(err(
                Some("/bomFormat".into()),
                "no bomFormat: not a CycloneDX document".into(),
            ))
        }
    }
    let mut warnings = Vec::new();
    let spec = match obj.get("specVersion").and_then(Value::as_str) {
        Some(s) => s.to_string(),
        None => {
            warnings.push(Warning {
                place: "/specVersion".into(),
                message: "no specVersion".into(),
            });
            String::new()
        }
    };
    let format = if spec.is_empty() {
        "CycloneDX JSON".to_string()
    } else {
        format!("CycloneDX {spec} JSON")
    };

    let mut components = Vec::new();
    match obj.get("components") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => walk(items, "/components", &mut components, &mut warnings),
        Some(_) => {
            return Err(err(
                Some("/components".into()),
                "components is not an array".into(),
            ))
        }
    }

    let meta_component = obj
        .get("metadata")
        .and_then(|m| m.get("component"))
        .filter(|c| c.is_object())
        .map(|c| read_component(c, "/metadata/component", &mut Vec::new()));
    let distro = components
        .iter()
        .chain(meta_component.iter())
        .find(|c| c.kind == ComponentKind::OperatingSystem)
        .map(distro_from_component);

    check_dependencies(
        obj.get("dependencies"),
        &components,
        meta_component.as_ref(),
        &mut warnings,
    );

    Ok(Sbom {
        format,
        components,
        distro,
        warnings,
    })
}

/// Depth-first walk of a `components` array at JSON pointer `place`.
fn walk(items: &[Value], place: &str, out: &mut Vec<Component>, warnings: &mut Vec<Warning>) {
    for (i, item) in items.iter().enumerate() {
        let here = format!("{place}/{i}");
        if !item.is_object() {
            warnings.push(Warning {
                place: here,
                message: "component is not an object; skipped".into(),
            });
            continue;
        }
        let c = read_component(item, &here, warnings);
        out.push(c);
        match item.get("components") {
            None | Some(Value::Null) => {}
            Some(Value::Array(children)) => {
                walk(children, &format!("{here}/components"), out, warnings)
            }
            Some(_) => warnings.push(Warning {
                place: format!("{here}/components"),
                message: "nested components is not an array; ignored".into(),
            }),
        }
    }
}

fn str_field(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// One component object (its nested components are not read here).
fn read_component(v: &Value, place: &str, warnings: &mut Vec<Warning>) -> Component {
    let mut c = Component {
        kind: ComponentKind::from_cyclonedx(
            v.get("type").and_then(Value::as_str).unwrap_or("library"),
        ),
        group: str_field(v, "group"),
        name: str_field(v, "name").unwrap_or_default(),
        version: str_field(v, "version"),
        purl: str_field(v, "purl"),
        bom_ref: str_field(v, "bom-ref"),
        ..Default::default()
    };
    if let Some(lics) = v.get("licenses").and_then(Value::as_array) {
        for l in lics {
            if let Some(e) = str_field(l, "expression") {
                c.licenses.push(e);
            } else if let Some(lic) = l.get("license") {
                if let Some(s) = str_field(lic, "id").or_else(|| str_field(lic, "name")) {
                    c.licenses.push(s);
                }
            }
        }
    }
    if let Some(props) = v.get("properties").and_then(Value::as_array) {
        for p in props {
            if let Some(name) = p.get("name").and_then(Value::as_str) {
                let value = p.get("value").and_then(Value::as_str).unwrap_or_default();
                c.properties.push((name.to_string(), value.to_string()));
            }
        }
    }
    c.locations = super::locations_from_properties(&c.properties);
    if c.locations.is_empty() {
        if let Some(occ) = v
            .get("evidence")
            .and_then(|e| e.get("occurrences"))
            .and_then(Value::as_array)
        {
            for o in occ {
                if let Some(path) = str_field(o, "location") {
                    c.locations.push(Location {
                        path,
                        ..Default::default()
                    });
                }
            }
        }
    }
    super::fill_name_from_purl(&mut c, place, warnings);
    c
}

/// Warnings for `dependencies` problems real tools produce: duplicated `dependsOn` entries,
/// repeated `ref` entries, refs that name no component. Never an error.
fn check_dependencies(
    deps: Option<&Value>,
    components: &[Component],
    meta: Option<&Component>,
    warnings: &mut Vec<Warning>,
) {
    let Some(deps) = deps else { return };
    let Some(deps) = deps.as_array() else {
        warnings.push(Warning {
            place: "/dependencies".into(),
            message: "dependencies is not an array; ignored".into(),
        });
        return;
    };
    let known: HashSet<&str> = components
        .iter()
        .chain(meta)
        .filter_map(|c| c.bom_ref.as_deref())
        .collect();
    let mut seen_refs = HashSet::new();
    for (i, d) in deps.iter().enumerate() {
        let place = format!("/dependencies/{i}");
        let Some(r) = d.get("ref").and_then(Value::as_str) else {
            warnings.push(Warning {
                place,
                message: "dependency without ref".into(),
            });
            continue;
        };
        if !seen_refs.insert(r.to_string()) {
            warnings.push(Warning {
                place: format!("{place}/ref"),
                message: format!("ref {r:?} listed again"),
            });
        }
        if !known.contains(r) {
            warnings.push(Warning {
                place: format!("{place}/ref"),
                message: format!("ref {r:?} names no component"),
            });
        }
        if let Some(on) = d.get("dependsOn").and_then(Value::as_array) {
            let mut seen = HashSet::new();
            for (j, t) in on.iter().enumerate() {
                let Some(t) = t.as_str() else { continue };
                if !seen.insert(t) {
                    warnings.push(Warning {
                        place: format!("{place}/dependsOn/{j}"),
                        message: format!("{t:?} listed twice"),
                    });
                } else if !known.contains(t) {
                    warnings.push(Warning {
                        place: format!("{place}/dependsOn/{j}"),
                        message: format!("ref {t:?} names no component"),
                    });
                }
            }
        }
    }
}
