//! CycloneDX XML writer (schema `bom-1.6.xsd`, namespace `http://cyclonedx.org/schema/bom/1.6`;
//! <https://cyclonedx.org/docs/1.6/xml/>).
//!
//! The XML is written from the same document the JSON writer builds ([`super::to_value`]), so
//! both carry the same serial number, metadata, component order, bom-refs, licences and
//! properties. Elements follow the order of the XSD sequences (`bom`: metadata, components;
//! `metadata`: timestamp, tools, component, properties; `component`: group, name, version,
//! licenses, purl, properties, evidence). Characters XML 1.0 cannot carry (control characters
//! other than tab, line feed and carriage return) are written as U+FFFD, so the output is always
//! well-formed. Deterministic: the same inventory and options give the same bytes.

use std::io;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;
use serde_json::Value;

use super::WriteOptions;
use crate::Inventory;

/// The CycloneDX XML namespace of a spec version: `http://cyclonedx.org/schema/bom/1.6`.
pub fn namespace(spec: super::SpecVersion) -> String {
    format!("{}{}", super::read_xml::NS_PREFIX, spec.as_str())
}

/// Replace characters XML 1.0 does not allow (its `Char` production) with U+FFFD.
fn xml_safe(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            c if (c as u32) < 0x20 => '\u{FFFD}',
            '\u{FFFE}' | '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn text_elem<W: io::Write>(w: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_safe(text)))?;
    Ok(())
}

fn opt_text<W: io::Write>(w: &mut Writer<W>, v: &Value, key: &str) -> io::Result<()> {
    match str_of(v, key) {
        Some(t) => text_elem(w, key, t),
        None => Ok(()),
    }
}

fn properties<W: io::Write>(w: &mut Writer<W>, props: Option<&Value>) -> io::Result<()> {
    let Some(list) = props.and_then(Value::as_array).filter(|a| !a.is_empty()) else {
        return Ok(());
    };
    w.create_element("properties").write_inner_content(|w| {
        for p in list {
            let name = xml_safe(str_of(p, "name").unwrap_or_default());
            let value = xml_safe(str_of(p, "value").unwrap_or_default());
            w.create_element("property")
                .with_attribute(("name", name.as_str()))
                .write_text_content(BytesText::new(&value))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `licenses`: `license` elements (`id` or `name`) or one `expression`, as the JSON has them.
fn licenses<W: io::Write>(w: &mut Writer<W>, lic: Option<&Value>) -> io::Result<()> {
    let Some(list) = lic.and_then(Value::as_array).filter(|a| !a.is_empty()) else {
        return Ok(());
    };
    w.create_element("licenses").write_inner_content(|w| {
        for l in list {
            if let Some(e) = str_of(l, "expression") {
                text_elem(w, "expression", e)?;
            } else if let Some(inner) = l.get("license") {
                w.create_element("license").write_inner_content(|w| {
                    if let Some(id) = str_of(inner, "id") {
                        text_elem(w, "id", id)
                    } else {
                        text_elem(w, "name", str_of(inner, "name").unwrap_or_default())
                    }
                })?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// One `component` element from its JSON form (type and bom-ref as attributes).
fn component<W: io::Write>(w: &mut Writer<W>, c: &Value) -> io::Result<()> {
    let ty = xml_safe(str_of(c, "type").unwrap_or("library"));
    let mut el = w
        .create_element("component")
        .with_attribute(("type", ty.as_str()));
    let bom_ref = str_of(c, "bom-ref").map(xml_safe);
    if let Some(r) = bom_ref.as_deref() {
        el = el.with_attribute(("bom-ref", r));
    }
    el.write_inner_content(|w| {
        opt_text(w, c, "group")?;
        text_elem(w, "name", str_of(c, "name").unwrap_or_default())?;
        opt_text(w, c, "version")?;
        licenses(w, c.get("licenses"))?;
        opt_text(w, c, "purl")?;
        properties(w, c.get("properties"))?;
        let occurrences = c
            .get("evidence")
            .and_then(|e| e.get("occurrences"))
            .and_then(Value::as_array)
            .filter(|a| !a.is_empty());
        if let Some(occ) = occurrences {
            w.create_element("evidence").write_inner_content(|w| {
                w.create_element("occurrences").write_inner_content(|w| {
                    for o in occ {
                        w.create_element("occurrence").write_inner_content(|w| {
                            text_elem(w, "location", str_of(o, "location").unwrap_or_default())
                        })?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })?;
    Ok(())
}

fn metadata<W: io::Write>(w: &mut Writer<W>, meta: &Value) -> io::Result<()> {
    w.create_element("metadata").write_inner_content(|w| {
        opt_text(w, meta, "timestamp")?;
        let tools = meta
            .get("tools")
            .and_then(|t| t.get("components"))
            .and_then(Value::as_array);
        if let Some(tools) = tools {
            w.create_element("tools").write_inner_content(|w| {
                w.create_element("components").write_inner_content(|w| {
                    for t in tools {
                        component(w, t)?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        }
        if let Some(c) = meta.get("component") {
            // `metadata/component` is an element named `component` too.
            component(w, c)?;
        }
        properties(w, meta.get("properties"))
    })?;
    Ok(())
}

fn write_doc<W: io::Write>(w: &mut Writer<W>, doc: &Value, ns: &str) -> io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let serial = xml_safe(str_of(doc, "serialNumber").unwrap_or_default());
    w.create_element("bom")
        .with_attribute(("xmlns", ns))
        .with_attribute(("serialNumber", serial.as_str()))
        .with_attribute(("version", "1"))
        .write_inner_content(|w| {
            if let Some(meta) = doc.get("metadata") {
                metadata(w, meta)?;
            }
            if let Some(comps) = doc.get("components").and_then(Value::as_array) {
                w.create_element("components").write_inner_content(|w| {
                    for c in comps {
                        component(w, c)?;
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(())
}

/// Write an inventory as CycloneDX XML in the namespace of `opts.spec_version` (the CLI offers
/// 1.6, the version whose XSD the tests validate against): UTF-8 with an XML declaration,
/// indented by two spaces, with a trailing newline.
///
/// Same content and order as [`super::write_json`] (serial number, metadata timestamp, tool,
/// subject component and properties, the operating-system component first, then components by
/// canonical purl with their bom-refs, licences, purls, `sbom-gen:*` properties and evidence
/// occurrences). Writing to memory cannot fail; the result is never empty.
pub fn write_xml(inv: &Inventory, opts: &WriteOptions) -> Vec<u8> {
    let doc = super::to_value(inv, opts);
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec<u8> has no I/O error source.
    let _ = write_doc(&mut w, &doc, &namespace(opts.spec_version));
    let mut out = w.into_inner();
    out.push(b'\n');
    out
}

#[cfg(test)]
mod tests {
    use super::xml_safe;

    #[test]
    fn control_characters_become_replacement_characters() {
        assert_eq!(xml_safe("a\u{1}b\tc\n"), "a\u{FFFD}b\tc\n");
        assert_eq!(xml_safe("\u{FFFE}x"), "\u{FFFD}x");
    }
}
